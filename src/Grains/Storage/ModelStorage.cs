namespace MovieRecommender.Grains.Storage;

/// <summary>
/// The grain storage that holds what serving needs to come back after a restart: the registry, every
/// candidate and user partition of the kept versions, and users' ratings. The embedded default keeps it on
/// local disk (<see cref="FileGrainStorage"/>); a cluster points it at a store every silo can reach.
/// </summary>
public static class ModelStorage
{
    public const string ProviderName = "models";
}
