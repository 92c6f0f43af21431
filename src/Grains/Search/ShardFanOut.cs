using System.Diagnostics;
using Microsoft.Extensions.Logging;
using MovieRecommender.Grains.Telemetry;

namespace MovieRecommender.Grains.Search;

/// <summary>
/// Asks every candidate shard of one version, in parallel, and combines their answers. A shard call that fails or
/// takes longer than <see cref="ShardFanOutOptions.ShardCallTimeout"/> is tried once more after
/// <see cref="ShardFanOutOptions.RetryDelay"/>; a shard that
/// fails twice is left out and the answer says so (<see cref="Recommendation.ShardsAnswered"/> below
/// <see cref="Recommendation.ShardCount"/>): never silently partial. When no shard answers, the call fails.
/// </summary>
public static class ShardFanOut
{
    /// <summary>The global top K of every answering shard's top K, and how many shards answered.</summary>
    /// <param name="versionConfirmed">The registry confirmed the version is active after a shard said it holds nothing of it
    /// (its partition was lost from the store): such a shard is left out of the answer like a dead one, rather than
    /// failing the request as a retired version must.</param>
    public static async Task<(ScoredMovie[] Movies, int ShardsAnswered)> SearchAsync(IGrainFactory grains, ShardFanOutOptions options, ModelVersionInfo model,
        ShardSearchRequest request, ILogger? logger = null, bool versionConfirmed = false)
    {
        var searches = new Task<ScoredMovie[]?>[model.CandidateShards];
        for (var shard = 0; shard < searches.Length; shard++)
            searches[shard] = SearchShard(grains, options, model.Version, shard, request, logger, versionConfirmed);
        var results = await Task.WhenAll(searches);
        var answered = results.Where(r => r is not null).Select(r => r!).ToArray();
        if (answered.Length == 0)
            throw new TimeoutException($"None of the {model.CandidateShards} shards of version {model.Version} answered (each tried twice); a silo may have just died, try again.");
        if (answered.Length < results.Length)
        {
            RecommenderTelemetry.PartialAnswers.Add(1, new KeyValuePair<string, object?>("version", model.Version));
            logger?.LogWarning("Answered from {Answered} of {Shards} shards of version {Version}", answered.Length, results.Length, model.Version);
        }
        using var merge = RecommenderTelemetry.ActivitySource.StartActivity("merge");
        merge?.SetTag("recommender.shards_answered", answered.Length);
        return (ShardResultMerger.Merge(answered, request.K), answered.Length);
    }

    /// <summary>The movie's row and embedding in this version, or null when the shard that would hold it does not.</summary>
    public static async Task<MovieVector?> FindAsync(IGrainFactory grains, ShardFanOutOptions options, ModelVersionInfo model, string movieId)
    {
        // The version's towers grain knows which shard holds (or would hold) every id: one shard asked, not all.
        var placement = (await grains.GetGrainFast<IModelTowersGrain>(model.Version).Place([movieId]))[0];
        var found = await WithRetry(options, () => grains.GetGrainFast<ICandidateShardGrain>(ICandidateShardGrain.Key(model.Version, placement.Shard)).Find(movieId));
        return found.Answered
            ? found.Value
            : throw new TimeoutException($"Shard {placement.Shard} of version {model.Version}, which holds movie '{movieId}', did not answer; try again.");
    }

    /// <summary>The ids among <paramref name="movies"/> (rows of the version's catalogue) that the live catalogue took down: one call per shard they fall in.</summary>
    public static async Task<HashSet<string>> WithdrawnAsync(IGrainFactory grains, ModelVersionInfo model, IReadOnlyList<ScoredMovie> movies)
    {
        var byShard = movies.GroupBy(m => Partitioning.ShardOfRow(model.ItemCount, model.CandidateShards, m.Row));
        var answers = await Task.WhenAll(byShard.Select(g =>
            grains.GetGrainFast<ICandidateShardGrain>(ICandidateShardGrain.Key(model.Version, g.Key)).Withdrawn([.. g.Select(m => m.Id)])));
        return answers.SelectMany(a => a).ToHashSet(StringComparer.Ordinal);
    }

    private static async Task<ScoredMovie[]?> SearchShard(IGrainFactory grains, ShardFanOutOptions options, string version, int shard, ShardSearchRequest request,
        ILogger? logger, bool versionConfirmed)
    {
        using var activity = RecommenderTelemetry.ActivitySource.StartActivity("shard.search", ActivityKind.Client);
        activity?.SetTag("recommender.shard", shard);
        activity?.SetTag("recommender.model_version", version);
        bool answered;
        ScoredMovie[]? value;
        try
        {
            (answered, value) = await WithRetry(options, () => grains.GetGrainFast<ICandidateShardGrain>(ICandidateShardGrain.Key(version, shard)).Search(request),
                logger, version, shard);
        }
        catch (VersionNotLoadedException e) when (versionConfirmed)
        {
            logger?.LogError("Shard {Shard} of the active version {Version} holds nothing ({Message}); answering without it", shard, version, e.Message);
            (answered, value) = (false, null);
        }
        if (!answered)
        {
            activity?.SetTag("recommender.shard.failed", true);
            activity?.SetStatus(ActivityStatusCode.Error, "The shard did not answer, twice.");
        }
        return answered ? value : null;
    }

    private static async Task<(bool Answered, T? Value)> WithRetry<T>(ShardFanOutOptions options, Func<Task<T>> call, ILogger? logger = null, string? version = null, int shard = -1)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                return (true, await call().WaitAsync(options.ShardCallTimeout));
            }
            catch (Exception e) when (IsTransient(e) && attempt == 0)
            {
                RecommenderTelemetry.ShardRetries.Add(1);
                Activity.Current?.AddEvent(new ActivityEvent("retry", tags: new ActivityTagsCollection { ["exception.message"] = e.Message }));
                logger?.LogWarning("Shard {Shard} of version {Version} failed ({Message}); trying once more", shard, version, e.Message);
                await Task.Delay(options.RetryDelay);
            }
            catch (Exception e) when (IsTransient(e))
            {
                logger?.LogError("Shard {Shard} of version {Version} failed twice ({Message}); answering without it", shard, version, e.Message);
                return (false, default);
            }
        }
    }

    // A dead or unreachable silo, a timeout, a shard that reloads: worth one more try. A bad request is not, nor a
    // retired version (the caller rereads the registry rather than answer without the shard).
    private static bool IsTransient(Exception e) => e is not (ArgumentException or NotSupportedException or VersionNotLoadedException);
}
