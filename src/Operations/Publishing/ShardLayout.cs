using Orleans.Runtime;

namespace MovieRecommender.Operations.Publishing;

/// <summary>
/// How many shards a version is split over when the publisher is not told: one candidate shard per active silo,
/// more only once a shard would hold over <see cref="MoviesPerShard"/> movies; one user shard per silo, more once one
/// would hold over <see cref="UsersPerShard"/> users.
/// </summary>
/// <remarks>
/// Why so few candidate shards: every recommendation calls every shard, and a shard call costs the silo more CPU than
/// the search in it: on one 2-core silo at 1M movies x 64 (the serve benchmark, every user drawing), the highest
/// sustained rate fell with every shard added (docs/serving.md). An IVF search's cost grows
/// with the square root of the shard's rows (its lists), so one large shard is cheaper than several small ones. The
/// cap keeps a shard's index build and its stored partition (about 0.35 GB at 64 dimensions) bounded: at 10M movies
/// on one 2-core silo, five shards of 2M rows took over the client's 30 s to write their partitions at the seal, and
/// the publish failed. User shards are
/// read once per user grain activation, so their count only spreads the publish and the store.
/// </remarks>
public static class ShardLayout
{
    public const int MoviesPerShard = 1_000_000;

    public const int UsersPerShard = 250_000;

    /// <summary>The candidate shards for <paramref name="movies"/> movies of <paramref name="dimension"/> on <paramref name="silos"/> silos.</summary>
    public static int CandidateShards(int movies, int dimension, int silos)
    {
        // A shard's rows are one float array: stay within .NET's array limit however wide the embeddings.
        var perShard = Math.Min(MoviesPerShard, Array.MaxLength / Math.Max(1, dimension));
        var shards = Math.Max(Math.Max(1, silos), (int)Math.Ceiling(movies / (double)perShard));
        return Math.Clamp(shards, 1, Math.Clamp(movies, 1, PublishOptions.MaxShards));
    }

    /// <summary>The user shards for <paramref name="users"/> users on <paramref name="silos"/> silos.</summary>
    public static int UserShards(int users, int silos) =>
        Math.Clamp(Math.Max(Math.Max(1, silos), (int)Math.Ceiling(users / (double)UsersPerShard)), 1, PublishOptions.MaxShards);

    /// <summary>The silos the cluster counts as active now (at least 1).</summary>
    public static async Task<int> ActiveSilosAsync(IGrainFactory grains) =>
        Math.Max(1, (await grains.GetGrain<IManagementGrain>(0).GetHosts(onlyActive: true)).Count);
}
