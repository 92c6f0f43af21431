namespace MovieRecommender.Grains;

/// <summary>The one place that says which model version serves. Key: <see cref="DefaultKey"/>.</summary>
public interface IModelRegistryGrain : IGrainWithStringKey
{
    const string DefaultKey = "default";

    /// <summary>The active version, or null when nothing was published yet.</summary>
    [AlwaysInterleave]
    Task<ActiveModel?> GetActive();

    /// <summary>Makes a fully pushed version the active one, in one step.</summary>
    Task Activate(ActiveModel model);
}
