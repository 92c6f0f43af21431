using System.Collections.Immutable;
using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MovieRecommender.Artifacts;
using MovieRecommender.Grains.Hosting;
using MovieRecommender.Grains.Registry;
using MovieRecommender.Grains.Search;
using MovieRecommender.Grains.Storage;
using MovieRecommender.Grains.Telemetry;
using MovieRecommender.ServiceDefaults;

namespace MovieRecommender.Grains;

/// <summary>
/// Serves one user. Caches the user's profile for the active version (re-read when the version changes, so an
/// old embedding never meets new shards), folds the ratings recorded since training into the query
/// (<see cref="LiveQuery"/>), and fans a search out to every candidate shard of that same version. Its ratings and
/// profile live in the user's log partition (<see cref="IRatingLogGrain"/>), durable there before a call returns;
/// the grain reads them back on activation.
/// </summary>
public sealed class UserGrain(
    ServedRecallMonitor servedRecall,
    ActiveModelView activeModel,
    IOptions<ShardFanOutOptions> fanOut,
    IOptions<UserGrainOptions> users,
    UserIdRedaction userIds,
    ILogger<UserGrain> logger) : Grain, IUserGrain
{
    private string? _cachedVersion;
    private UserProfile? _profile;
    // A user the version does not know, with a profile: the query tower's embedding of it.
    private float[]? _featureQuery;
    // The query and excluded rows for the cached version and the ratings folded so far.
    private (float[]? Query, int[] Excluded, int RatingsFolded)? _query;
    // Made on the first rating: most of a large audience's grains never see one, and each activation's bytes count.
    private Dictionary<string, MovieVector>? _ratedMovies;
    private UserLiveState _live = UserLiveState.Empty;

    // When the grain last served a call, and the one-shot timer that deactivates it once idle that long.
    private long _lastCall = Stopwatch.GetTimestamp();
    private IGrainTimer? _idleTimer;

    private IRatingLogGrain Log => IRatingLogGrain.For(GrainFactory, this.GetPrimaryKeyString());

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _live = await Log.StateOf(this.GetPrimaryKeyString()) ?? UserLiveState.Empty;
        _idleTimer = this.RegisterGrainTimer(DeactivateIfIdle, new GrainTimerCreationOptions(users.Value.IdleTimeout, Timeout.InfiniteTimeSpan));
    }

    /// <summary>
    /// Each user grain leaves on its own once idle (<see cref="UserGrainOptions.IdleTimeout"/>), rather than by Orleans'
    /// collector: that deactivates every activation idle past a quantum at once, and at thousands of new users a second
    /// those bursts stalled the silo for 400-700 ms (issue 26). The timer fires once per idle period, not per call.
    /// </summary>
    private Task DeactivateIfIdle()
    {
        var idleFor = Stopwatch.GetElapsedTime(_lastCall);
        if (idleFor >= users.Value.IdleTimeout) DeactivateOnIdle();
        else _idleTimer?.Change(users.Value.IdleTimeout - idleFor, Timeout.InfiniteTimeSpan);
        return Task.CompletedTask;
    }

    public Task<Recommendation> Recommend(int k) => Recommend(k, MovieFilter.None);

    public Task<Recommendation> Recommend(int k, MovieFilter filter) => Recommend(k, filter, SearchTuning.None);

    public async Task<Recommendation> Recommend(int k, MovieFilter filter, SearchTuning tuning)
    {
        if (k < 1 || k > IUserGrain.MaxK)
            throw new ArgumentOutOfRangeException(nameof(k), k, $"K must be between 1 and {IUserGrain.MaxK}.");
        filter ??= MovieFilter.None;
        tuning ??= SearchTuning.None;
        if (tuning.Problem() is { } problem) throw new ArgumentOutOfRangeException(nameof(tuning), problem);

        var userId = this.GetPrimaryKeyString();
        var started = _lastCall = Stopwatch.GetTimestamp();
        using var activity = RecommenderTelemetry.ActivitySource.StartActivity("recommend");
        activity?.SetTag("recommender.user", userId);
        activity?.SetTag("recommender.k", k);
        try
        {
            var result = await OnceMoreIfVersionGoneAsync(unloaded => RecommendCore(userId, k, filter, tuning, activity, unloaded));
            activity?.SetTag("recommender.source", result.Source.ToString());
            activity?.SetTag("recommender.coverage", $"{result.ShardsAnswered}/{result.ShardCount}");
            var tags = new TagList { { "source", result.Source.ToString() }, { "version", result.ModelVersion } };
            RecommenderTelemetry.Recommendations.Add(1, tags);
            RecommenderTelemetry.RecommendDuration.Record(Stopwatch.GetElapsedTime(started).TotalMilliseconds, tags);
            return result;
        }
        catch (Exception e)
        {
            activity?.SetStatus(ActivityStatusCode.Error, e.Message);
            // Written inside the span: the log line carries the trace id, so it opens this request's trace.
            logger.LogError(e, "Recommendation for user {User} (K {K}) failed: {Message}", userIds.Of(userId), k, e.Message);
            throw;
        }
    }

    /// <param name="unloadedVersion">On the retry: the version a shard said it holds nothing of (else null).</param>
    private async Task<Recommendation> RecommendCore(string userId, int k, MovieFilter filter, SearchTuning tuning, Activity? activity, string? unloadedVersion)
    {
        var active = await ActiveModelAsync(fromRegistry: unloadedVersion is not null);
        var model = active.Info;
        activity?.SetTag("recommender.model_version", model.Version);
        ServingState.ActiveVersionSeen(model.Version);
        float[]? query;
        int[] excluded;
        using (var profile = RecommenderTelemetry.ActivitySource.StartActivity("user.profile"))
        {
            var cached = _cachedVersion == model.Version;
            profile?.SetTag("recommender.cache", cached ? "hit" : "miss");
            RecommenderTelemetry.ProfileCache.Add(1, new KeyValuePair<string, object?>("result", cached ? "hit" : "miss"));
            (query, excluded) = await QueryAsync(model);
        }

        if (query is null)
        {
            var candidates = active.Popular.Where(p => filter.Matches(p.Genres, p.Year) && Array.BinarySearch(excluded, p.Movie.Row) < 0)
                .Select(p => p.Movie).ToArray();
            var withdrawn = await ShardFanOut.WithdrawnAsync(GrainFactory, model, candidates);
            var popular = candidates.Where(m => !withdrawn.Contains(m.Id)).Take(k).ToImmutableArray();
            return new Recommendation(userId, model.Version, RecommendationSource.Popular, popular, ShardsAnswered: 0, ShardCount: 0);
        }
        var request = new ShardSearchRequest(query, k, excluded, filter.IsEmpty ? null : filter, tuning.IsEmpty ? null : tuning);
        var (movies, answered) = await ShardFanOut.SearchAsync(GrainFactory, fanOut.Value, model, request, logger,
            versionConfirmed: model.Version == unloadedVersion);
        // Only complete answers are comparable with the exact top K of every shard.
        if (answered == model.CandidateShards) servedRecall.Consider(model, request, movies);
        var source = _profile is not null ? RecommendationSource.Model : _featureQuery is not null ? RecommendationSource.Profile : RecommendationSource.Ratings;
        return new Recommendation(userId, model.Version, source,
            [.. movies], answered, model.CandidateShards);
    }

    public async Task Rate(string movieId, double rating)
    {
        _lastCall = Stopwatch.GetTimestamp();
        if (string.IsNullOrWhiteSpace(movieId)) throw new ArgumentException("The movie id is empty.", nameof(movieId));
        if (!(rating >= IUserGrain.MinRating && rating <= IUserGrain.MaxRating))
            throw new ArgumentOutOfRangeException(nameof(rating), rating, $"A rating must be between {IUserGrain.MinRating} and {IUserGrain.MaxRating}.");
        var (model, found) = await OnceMoreIfVersionGoneAsync(async unloaded =>
        {
            var model = (await ActiveModelAsync(fromRegistry: unloaded is not null)).Info;
            return (model, await ShardFanOut.FindAsync(GrainFactory, fanOut.Value, model, movieId));
        });
        if (found is null)
            throw new ArgumentException($"Movie '{movieId}' is not in the catalogue of version {model.Version}.", nameof(movieId));

        // Durable in the log before the grain serves it: a rating the store refused is neither recorded nor folded.
        var entry = UserLogEntry.Of(new Rating(this.GetPrimaryKeyString(), movieId, rating, DateTimeOffset.UtcNow));
        await AppendAsync(entry, $"The rating of movie '{movieId}' was not recorded", "Rate again once it is back.");
        _live = _live.With(entry);
        RecommenderTelemetry.RatingsRecorded.Add(1);
    }

    public async Task SetProfile(UserDemographics demographics)
    {
        _lastCall = Stopwatch.GetTimestamp();
        if (demographics.Problem() is { } problem) throw new ArgumentException(problem, nameof(demographics));
        var entry = UserLogEntry.Of(this.GetPrimaryKeyString(), demographics, DateTimeOffset.UtcNow);
        await AppendAsync(entry, "The profile was not recorded", "Send it again once it is back.");
        _live = _live.With(entry);
        // Embedded again on the next recommendation.
        _cachedVersion = null;
    }

    /// <summary>
    /// Appends to the user's log partition; a store failure is told in this call's own words (the partition commits
    /// many callers' entries together), without the user's id, which traces and logs must not carry (the caller knows it).
    /// </summary>
    private async Task AppendAsync(UserLogEntry entry, string notRecorded, string whatToDo)
    {
        try
        {
            await Log.Append(entry);
        }
        catch (InvalidOperationException e) when (e.InnerException is not null)
        {
            throw StoreFailure.Exception($"{notRecorded}: the store failed ({StoreFailure.Summary(e)}). {whatToDo}", e);
        }
    }

    public async Task<bool> Erase()
    {
        var userId = this.GetPrimaryKeyString();
        // The user's row of every kept version first, then the log, which records the erasure once the data is gone.
        var versions = await GrainFactory.GetGrain<IModelRegistryGrain>(IModelRegistryGrain.DefaultKey).ListVersions();
        var rows = await Task.WhenAll(versions.Where(v => v.Status != VersionStatus.Retired).Select(v => GrainFactory
            .GetGrain<IUserShardGrain>(IUserShardGrain.Key(v.Info.Version, Partitioning.UserShardOf(userId, v.Info.UserShards))).Erase(userId)));
        var logged = await Log.Erase(userId, erasedElsewhere: rows.Any(erased => erased));
        _live = UserLiveState.Empty;
        _cachedVersion = null;
        DeactivateOnIdle();
        return logged || rows.Any(erased => erased);
    }

    /// <summary>
    /// The active model from this silo's view, with no grain call; from the registry only while the view is empty
    /// (the silo has just started, or nothing is published) or when the view named a version whose shards are gone.
    /// Read once per request: every call the request makes is to that version.
    /// </summary>
    private async Task<ActiveModel> ActiveModelAsync(bool fromRegistry)
    {
        using var span = RecommenderTelemetry.ActivitySource.StartActivity("registry.active");
        var active = fromRegistry ? null : activeModel.Active;
        span?.SetTag("recommender.registry.source", active is null ? "registry" : "cache");
        active ??= await activeModel.RefreshAsync();
        span?.SetTag("recommender.model_version", active?.Info.Version);
        return active ?? throw new InvalidOperationException("No model is published yet: train one with 'train --publish' or run 'publish ARTIFACT_DIR'.");
    }

    /// <summary>
    /// Serves once more, from what the registry says, when a shard held nothing of the version this silo's view
    /// named: the view missed a change (a lost notification) or the request began just before a publish retired
    /// that version. Never a partial answer from a retired version.
    /// </summary>
    /// <param name="serve">Given null, then on the retry the version a shard held nothing of.</param>
    private async Task<T> OnceMoreIfVersionGoneAsync<T>(Func<string?, Task<T>> serve)
    {
        try
        {
            return await serve(null);
        }
        catch (VersionNotLoadedException e)
        {
            logger.LogInformation("Version {Version} is no longer loaded ({Message}); rereading the registry and trying once more", e.Version, e.Message);
            // The retry reads the registry. If it still names that version, a shard lost its partition (not a
            // retirement): the retry answers without it, and says so.
            return await serve(e.Version);
        }
    }

    /// <summary>
    /// The query for this version (null: no embedding and no ratings, so popular movies) and the rows to
    /// exclude (training movies and rated ones, sorted). Recomputed only when the version or the ratings change.
    /// </summary>
    private async Task<(float[]? Query, int[] Excluded)> QueryAsync(ModelVersionInfo model)
    {
        if (_cachedVersion != model.Version)
        {
            _profile = await GrainFactory
                .GetGrain<IUserShardGrain>(IUserShardGrain.Key(model.Version, Partitioning.UserShardOf(this.GetPrimaryKeyString(), model.UserShards)))
                .Get(this.GetPrimaryKeyString());
            _featureQuery = _profile is null && _live.Demographics is { } told
                ? await GrainFactory.GetGrain<IModelTowersGrain>(model.Version).EmbedUser(told)
                : null;
            _ratedMovies?.Clear();
            _query = null;
            _cachedVersion = model.Version;
        }
        var rated = _live.Ratings;
        if (_query is { } cached && cached.RatingsFolded == rated.Count) return (cached.Query, cached.Excluded);

        var vectors = new List<MovieVector>();
        foreach (var movieId in rated.Select(r => r.MovieId).Distinct())
        {
            _ratedMovies ??= new(StringComparer.Ordinal);
            if (!_ratedMovies.TryGetValue(movieId, out var movie))
            {
                // A movie the new version lacks is simply not folded.
                if (await ShardFanOut.FindAsync(GrainFactory, fanOut.Value, model, movieId) is not { } found) continue;
                _ratedMovies[movieId] = movie = found;
            }
            vectors.Add(movie);
        }

        var (query, excluded) = LiveQuery.Build(_profile?.Embedding ?? _featureQuery, _profile?.SeenRows ?? [],
            [.. vectors.Select(v => (v.Row, v.Embedding))], model.BiasColumn, model.MeanUserNorm);
        _query = (query, excluded, rated.Count);
        return (query, excluded);
    }
}
