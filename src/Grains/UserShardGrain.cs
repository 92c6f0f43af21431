using System.Runtime.InteropServices;

namespace MovieRecommender.Grains;

/// <summary>
/// Holds one partition of one version's users: their query embeddings and seen movies, read by user grains
/// when they first serve that version. Kept alive: its data arrives only by publishing.
/// </summary>
[KeepAlive]
public sealed class UserShardGrain : Grain, IUserShardGrain
{
    private readonly Dictionary<string, UserProfile> _profiles = new(StringComparer.Ordinal);
    private ModelVersionInfo? _model;

    public Task Load(UserChunk chunk)
    {
        if (_model is not null && _model != chunk.Model)
            throw new InvalidOperationException($"User shard {this.GetPrimaryKeyString()} already holds a different layout of version {_model.Version}.");
        _model = chunk.Model;
        var dim = chunk.Model.Dimension;
        if (chunk.SeenRows.Length != chunk.UserIds.Length || chunk.Vectors.Length != chunk.UserIds.Length * dim * sizeof(float))
            throw new ArgumentException($"User chunk: {chunk.UserIds.Length} users, {chunk.SeenRows.Length} seen lists and {chunk.Vectors.Length} vector bytes do not match dimension {dim}.");
        var vectors = MemoryMarshal.Cast<byte, float>(chunk.Vectors);
        for (var i = 0; i < chunk.UserIds.Length; i++)
        {
            _profiles[chunk.UserIds[i]] = new UserProfile(vectors.Slice(i * dim, dim).ToArray(), chunk.SeenRows[i]);
        }
        return Task.CompletedTask;
    }

    public Task<int> LoadedUsers() => Task.FromResult(_profiles.Count);

    public Task<UserProfile?> Get(string userId) =>
        Task.FromResult(_profiles.GetValueOrDefault(userId));
}
