namespace MovieRecommender.Grains;

/// <summary>
/// A shard was asked about a version it holds nothing of: the version was retired (or its partition never sealed).
/// Distinct from a failure, so that a caller whose view of the active version is stale rereads the registry and
/// retries once, rather than retrying the same shard or answering without it.
/// </summary>
[GenerateSerializer]
public sealed class VersionNotLoadedException : Exception
{
    public VersionNotLoadedException() { }

    public VersionNotLoadedException(string message) : base(message) { }

    public VersionNotLoadedException(string message, Exception inner) : base(message, inner) { }

    public VersionNotLoadedException(string shard, string version)
        : base($"Shard {shard} holds nothing of version {version}: the version was retired or never published, or the shard's partition is missing from the store (publish the version again).")
    {
        Shard = shard;
        Version = version;
    }

    /// <summary>For the shard of this <see cref="ShardKey"/> (candidate and user shards alike).</summary>
    public static VersionNotLoadedException ForShard(string shardKey) =>
        new(shardKey, ShardKey.TryParse(shardKey, out var key) ? key.Version : shardKey);

    /// <summary>The shard's key.</summary>
    [Id(0)] public string Shard { get; init; } = "";

    /// <summary>The version the caller asked for.</summary>
    [Id(1)] public string Version { get; init; } = "";
}
