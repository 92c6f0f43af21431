using System.Collections.Immutable;
using System.Diagnostics;
using MovieRecommender.Grains.Search;
using MovieRecommender.Grains.Telemetry;

namespace MovieRecommender.Grains;

/// <summary>
/// Serves one user: caches the user's profile for the active version, fans a search out to every candidate
/// shard of that same version, and merges their answers into the global top K.
/// </summary>
public sealed class UserGrain : Grain, IUserGrain
{
    private string? _cachedVersion;
    private UserProfile? _profile;

    public async Task<Recommendation> Recommend(int k)
    {
        if (k < 1 || k > IUserGrain.MaxK)
            throw new ArgumentOutOfRangeException(nameof(k), k, $"K must be between 1 and {IUserGrain.MaxK}.");

        var userId = this.GetPrimaryKeyString();
        var started = Stopwatch.GetTimestamp();
        using var activity = RecommenderTelemetry.ActivitySource.StartActivity("recommend");
        activity?.SetTag("recommender.user", userId);
        activity?.SetTag("recommender.k", k);

        var active = await GrainFactory.GetGrain<IModelRegistryGrain>(IModelRegistryGrain.DefaultKey).GetActive()
            ?? throw new InvalidOperationException("No model is published yet: train one with 'train --publish' or run 'publish ARTIFACT_DIR'.");
        var model = active.Info;
        activity?.SetTag("recommender.model_version", model.Version);

        // The cache is keyed by version: a new active version is read afresh, never mixed with the old one.
        if (_cachedVersion != model.Version)
        {
            _profile = await GrainFactory
                .GetGrain<IUserShardGrain>(IUserShardGrain.Key(model.Version, Partitioning.UserShardOf(userId, model.UserShards)))
                .Get(userId);
            _cachedVersion = model.Version;
        }

        Recommendation result;
        if (_profile is null)
        {
            result = new Recommendation(userId, model.Version, RecommendationSource.Popular,
                active.Popular.Take(k).ToImmutableArray(), ShardsAnswered: 0, ShardCount: 0);
        }
        else
        {
            var request = new ShardSearchRequest(_profile.Embedding, k, _profile.SeenRows);
            var searches = new Task<ScoredMovie[]>[model.CandidateShards];
            for (var shard = 0; shard < searches.Length; shard++)
                searches[shard] = SearchShard(model.Version, shard, request);
            var shardResults = await Task.WhenAll(searches);
            result = new Recommendation(userId, model.Version, RecommendationSource.Model,
                [.. ShardResultMerger.Merge(shardResults, k)], shardResults.Length, model.CandidateShards);
        }

        activity?.SetTag("recommender.source", result.Source.ToString());
        RecommenderTelemetry.Recommendations.Add(1, new KeyValuePair<string, object?>("source", result.Source.ToString()));
        RecommenderTelemetry.RecommendDuration.Record(Stopwatch.GetElapsedTime(started).TotalMilliseconds,
            new KeyValuePair<string, object?>("source", result.Source.ToString()));
        return result;
    }

    private async Task<ScoredMovie[]> SearchShard(string version, int shard, ShardSearchRequest request)
    {
        using var activity = RecommenderTelemetry.ActivitySource.StartActivity("shard.search");
        activity?.SetTag("recommender.shard", shard);
        return await GrainFactory.GetGrain<ICandidateShardGrain>(ICandidateShardGrain.Key(version, shard)).Search(request);
    }
}
