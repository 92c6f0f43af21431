using MovieRecommender.Index;

namespace MovieRecommender.Grains.Search;

/// <summary>Merges the shards' per-shard top K into the global top K, in <see cref="TopKOrder"/>.</summary>
public static class ShardResultMerger
{
    /// <summary>
    /// The K best of every shard's answer. A fan-out holds at most shards x K movies (a few hundred), so one sort of
    /// them all is cheaper than a heap; rows are global, so no two shards return the same one.
    /// </summary>
    public static ScoredMovie[] Merge(IReadOnlyList<IReadOnlyList<ScoredMovie>> shardResults, int k)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(k);
        var total = 0;
        foreach (var result in shardResults) total += result.Count;
        var all = new ScoredMovie[total];
        var at = 0;
        foreach (var result in shardResults)
            foreach (var movie in result) all[at++] = movie;
        Array.Sort(all, static (x, y) => TopKOrder.BestFirst(x.Score, x.Row, y.Score, y.Row));
        return all.Length <= k ? all : all[..k];
    }
}
