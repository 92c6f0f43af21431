namespace MovieRecommender.Grains.Storage;

/// <summary>
/// The grain storage that holds what serving needs to come back after a restart: the registry, every
/// candidate and user partition of the kept versions, and users' ratings. The embedded default keeps it on
/// local disk (<see cref="FileGrainStorage"/>); a cluster points it at a store every silo can reach.
/// </summary>
public static class ModelStorage
{
    public const string ProviderName = "models";

    /// <summary>
    /// The storage of the user log (<see cref="IRatingLogGrain"/>): the same store, written at the rate ratings come.
    /// In files it is not flushed to disk on every write (<see cref="FileGrainStorageOptions.FlushToDisk"/>, setting
    /// <c>Storage:FlushUserLog</c>): an acknowledged rating survives a crash of the silo, and one of the machine as far
    /// as the operating system wrote it back (ext4: within 5 s), as Redis' default <c>appendfsync everysec</c> does.
    /// </summary>
    public const string UserLogProviderName = "userlog";
}
