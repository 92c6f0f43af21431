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
    [property: Id(6)] DateTimeOffset PublishedAt,
    // The last column is a per-movie bias (users hold 1 there), not a direction: folding ratings leaves it alone.
    [property: Id(7)] bool BiasColumn = false,
    // The mean norm of the users' query embeddings (bias column left out), to scale a query built from ratings.
    [property: Id(8)] float MeanUserNorm = 1,
    // The index every shard of this version builds, as the operator wrote it (IndexSpec's syntax, e.g. "ivf-int8:lists=1000,probe=20").
    [property: Id(9)] string Index = "auto")
{
    /// <summary>Same version split the same way (a second publish of one artifact differs only in its time).</summary>
    public bool HasSameLayout(ModelVersionInfo other) =>
        this with { PublishedAt = other.PublishedAt } == other;
}
