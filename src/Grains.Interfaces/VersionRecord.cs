namespace MovieRecommender.Grains;

/// <summary>A version the registry knows, with its manifest (as published) for listing and its status.</summary>
[GenerateSerializer, Immutable]
public sealed record VersionRecord(
    [property: Id(0)] ModelVersionInfo Info,
    [property: Id(1)] VersionStatus Status,
    [property: Id(2)] string ManifestJson,
    // Bytes of embeddings the version holds in the cluster (movies and users), for the operator's view.
    [property: Id(3)] long EmbeddingBytes);

[GenerateSerializer]
public enum VersionStatus
{
    /// <summary>Serving.</summary>
    Active = 0,

    /// <summary>Kept loaded so that rollback is one step.</summary>
    Previous = 1,

    /// <summary>Released; its grains hold nothing any more.</summary>
    Retired = 2,
}
