namespace MovieRecommender.Grains.Search;

/// <summary>Merges the shards' per-shard top K into the global top K, in the collector's one order.</summary>
public static class ShardResultMerger
{
    public static ScoredMovie[] Merge(IEnumerable<IReadOnlyList<ScoredMovie>> shardResults, int k)
    {
        var collector = new TopKCollector(k);
        var byRow = new Dictionary<int, ScoredMovie>();
        foreach (var result in shardResults)
        {
            foreach (var movie in result)
            {
                collector.Offer(movie.Row, movie.Score);
                byRow[movie.Row] = movie;
            }
        }
        return collector.ToSortedArray().Select(pair => byRow[pair.Row]).ToArray();
    }
}
