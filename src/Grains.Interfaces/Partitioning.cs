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

    /// <summary>The shard whose contiguous rows (<see cref="ShardRows"/>) hold <paramref name="row"/>.</summary>
    public static int ShardOfRow(int itemCount, int shards, int row)
    {
        for (var shard = shards - 1; shard > 0; shard--)
            if (ShardRows(itemCount, shards, shard).Start <= row) return shard;
        return 0;
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
