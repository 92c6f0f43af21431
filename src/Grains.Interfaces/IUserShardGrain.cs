namespace MovieRecommender.Grains;

/// <summary>
/// One partition of one model version's users (query embeddings and seen movies), where user grains read
/// their profile from. Key: <see cref="Key"/>(version, shard); a user's shard is <see cref="Partitioning.UserShardOf"/>.
/// </summary>
public interface IUserShardGrain : IGrainWithStringKey
{
    static string Key(string version, int shard) => $"{version}/{shard}";

    Task Load(UserChunk chunk);

    Task<int> LoadedUsers();

    /// <summary>The user's profile in this version, or null when the model does not know the user.</summary>
    [AlwaysInterleave]
    Task<UserProfile?> Get(string userId);
}
