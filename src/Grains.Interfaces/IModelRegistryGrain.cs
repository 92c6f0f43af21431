namespace MovieRecommender.Grains;

/// <summary>
/// The one place that says which model version serves. Key: <see cref="DefaultKey"/>. Its state is durable, so a
/// restarted cluster serves the same version without a new publish.
/// </summary>
public interface IModelRegistryGrain : IGrainWithStringKey
{
    const string DefaultKey = "default";

    /// <summary>The active version, or null when nothing was published yet.</summary>
    [AlwaysInterleave]
    Task<ActiveModel?> GetActive();

    /// <summary>
    /// Makes a fully pushed version the active one, in one step. The version that was active stays loaded as
    /// the previous one (for <see cref="Rollback"/>); the one before that is retired and its memory released.
    /// Activating the active version again changes nothing.
    /// </summary>
    Task Activate(ActiveModel model, string manifestJson, long embeddingBytes);

    /// <summary>Makes the previous version active again and the active one previous, in one step.</summary>
    Task<ActiveModel> Rollback();

    /// <summary>Every version the registry knows, newest first.</summary>
    [AlwaysInterleave]
    Task<VersionRecord[]> ListVersions();
}
