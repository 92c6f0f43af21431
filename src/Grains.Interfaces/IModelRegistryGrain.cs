namespace MovieRecommender.Grains;

/// <summary>
/// The one place that says which model version serves. Key: <see cref="DefaultKey"/>. Its state is durable, so a
/// restarted cluster serves the same version without a new publish.
/// </summary>
[Version(1)]
public interface IModelRegistryGrain : IGrainWithStringKey
{
    const string DefaultKey = "default";

    /// <summary>The active version, or null when nothing was published yet.</summary>
    [AlwaysInterleave]
    Task<ActiveModel?> GetActive();

    /// <summary>
    /// The active version with the generation of that say: what each silo's view of the active model reads at
    /// start-up and on its periodic refresh. Recommendations read that view, not the registry.
    /// </summary>
    [AlwaysInterleave]
    Task<RegistrySnapshot> GetSnapshot();

    /// <summary>
    /// Makes a fully pushed version the active one, in one step. The version that was active stays loaded as
    /// the previous one (for <see cref="Rollback"/>); the one before that is retired and its memory released.
    /// Activating the active version again changes nothing. Before it returns, every silo has been told (each
    /// within a bounded wait; a silo that missed it catches up on its periodic refresh).
    /// </summary>
    Task Activate(ActiveModel model, string manifestJson, long embeddingBytes);

    /// <summary>
    /// Makes the previous version active again and the active one previous, in one step; every silo is told
    /// before it returns, as for <see cref="Activate"/>.
    /// </summary>
    Task<ActiveModel> Rollback();

    /// <summary>
    /// Makes a kept version active, in one step: the active one changes nothing, the previous one is a rollback.
    /// Throws <see cref="KeyNotFoundException"/> for a version the registry never knew, and
    /// <see cref="InvalidOperationException"/> for a retired one (its shards were freed: publish it again).
    /// </summary>
    Task<ActiveModel> ActivateKept(string version);

    /// <summary>Every version the registry knows, newest first.</summary>
    [AlwaysInterleave]
    Task<VersionRecord[]> ListVersions();

    /// <summary>The registry's whole say, for a backup; its generation tells the backup whether a version changed meanwhile.</summary>
    [AlwaysInterleave]
    Task<RegistryExport> Export();

    /// <summary>
    /// Makes the registry hold exactly a backup's say (a restore's last step) and tells every silo. Refused
    /// (<see cref="InvalidOperationException"/>) unless the registry knows no version: a restore never mixes with a cluster's own.
    /// </summary>
    Task Restore(RegistryExport backup);
}
