namespace MovieRecommender.Grains;

/// <summary>
/// One partition of one model version's users (query embeddings and seen movies), where user grains read
/// their profile from. Key: <see cref="Key"/>(version, shard); a user's shard is <see cref="Partitioning.UserShardOf"/>.
/// </summary>
[Version(1)]
public interface IUserShardGrain : IGrainWithStringKey
{
    static string Key(string version, int shard) => new ShardKey(version, shard).ToString();

    Task Load(UserChunk chunk);

    /// <summary>Checks that all <paramref name="expectedUsers"/> users arrived and stores the partition durably.</summary>
    Task Seal(int expectedUsers);

    /// <summary>The user's profile in this version, or null when the model does not know the user.</summary>
    [AlwaysInterleave]
    Task<UserProfile?> Get(string userId);

    /// <summary>Removes the user's row from this version, in memory and in storage (an erasure). False when the version has no row of them.</summary>
    Task<bool> Erase(string userId);

    /// <summary>Users [<paramref name="skip"/>, skip + <paramref name="take"/>) of the sealed partition, in id order, as a chunk <see cref="Load"/> takes (for a backup).</summary>
    [AlwaysInterleave]
    Task<UserChunk> ExportUsers(int skip, int take);

    /// <summary>Drops the partition, from memory and from storage (its version is no longer kept).</summary>
    Task Retire();
}
