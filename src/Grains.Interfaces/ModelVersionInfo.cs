namespace MovieRecommender.Grains;

/// <summary>What every grain needs to know about a published model version to serve it.</summary>
[GenerateSerializer, Immutable]
public sealed record ModelVersionInfo(
    [property: Id(0)] string Version,
    [property: Id(1)] int Dimension,
    [property: Id(2)] int ItemCount,
    [property: Id(3)] int UserCount,
    [property: Id(4)] int CandidateShards,
    [property: Id(5)] int UserShards,
    [property: Id(6)] DateTimeOffset PublishedAt)
{
    /// <summary>Same version split the same way (a second publish of one artifact differs only in its time).</summary>
    public bool HasSameLayout(ModelVersionInfo other) =>
        this with { PublishedAt = other.PublishedAt } == other;
}
