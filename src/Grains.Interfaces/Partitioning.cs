namespace MovieRecommender.Grains;

/// <summary>How a version's movies and users are split over shards; the publisher and the grains must agree.</summary>
public static class Partitioning
{
    /// <summary>Shard <paramref name="shard"/> holds the contiguous item rows [Start, Start + Count).</summary>
    public static (int Start, int Count) ShardRows(int itemCount, int shards, int shard)
    {
        var start = (int)((long)itemCount * shard / shards);
        var end = (int)((long)itemCount * (shard + 1) / shards);
        return (start, end - start);
    }

    /// <summary>A stable (process-independent) hash of the user id, FNV-1a over its UTF-16 code units.</summary>
    public static int UserShardOf(string userId, int shards)
    {
        var hash = 2166136261u;
        foreach (var c in userId)
        {
            hash = (hash ^ c) * 16777619u;
        }
        return (int)(hash % (uint)shards);
    }
}
