using MovieRecommender.Grains.Telemetry;

namespace MovieRecommender.Grains.Search;

/// <summary>Asks every candidate shard of one version, in parallel, and combines their answers.</summary>
public static class ShardFanOut
{
    /// <summary>The global top K of every shard's top K, and how many shards answered.</summary>
    public static async Task<(ScoredMovie[] Movies, int ShardsAnswered)> SearchAsync(IGrainFactory grains, ModelVersionInfo model, ShardSearchRequest request)
    {
        var searches = new Task<ScoredMovie[]>[model.CandidateShards];
        for (var shard = 0; shard < searches.Length; shard++)
            searches[shard] = SearchShard(grains, model.Version, shard, request);
        var results = await Task.WhenAll(searches);
        return (ShardResultMerger.Merge(results, request.K), results.Length);
    }

    /// <summary>The movie's row and embedding in this version, or null when no shard holds it.</summary>
    public static async Task<MovieVector?> FindAsync(IGrainFactory grains, ModelVersionInfo model, string movieId)
    {
        var finds = Enumerable.Range(0, model.CandidateShards)
            .Select(shard => grains.GetGrain<ICandidateShardGrain>(ICandidateShardGrain.Key(model.Version, shard)).Find(movieId));
        return (await Task.WhenAll(finds)).FirstOrDefault(found => found is not null);
    }

    private static async Task<ScoredMovie[]> SearchShard(IGrainFactory grains, string version, int shard, ShardSearchRequest request)
    {
        using var activity = RecommenderTelemetry.ActivitySource.StartActivity("shard.search");
        activity?.SetTag("recommender.shard", shard);
        return await grains.GetGrain<ICandidateShardGrain>(ICandidateShardGrain.Key(version, shard)).Search(request);
    }
}
