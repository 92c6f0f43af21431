namespace MovieRecommender.Grains;

/// <summary>
/// Per-request search parameters (FAISS's <c>SearchParametersIVF</c>): IVF lists probed and candidates reranked
/// exactly, for an operator who trades speed for recall. Unset values keep what the version's index was published
/// with; a probe above the shard's list count probes every list. Checked against <see cref="MaxProbe"/> and
/// <see cref="MaxRerank"/> so one request cannot turn an index into a full scan of millions of rows.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record SearchTuning(
    [property: Id(0)] int? Probe = null,
    [property: Id(1)] int? Rerank = null)
{
    public const int MaxProbe = 256;

    public const int MaxRerank = 10_000;

    public static readonly SearchTuning None = new();

    public bool IsEmpty => Probe is null && Rerank is null;

    /// <summary>Null when acceptable, else what is wrong and the allowed range.</summary>
    public string? Problem() =>
        Probe is < 1 or > MaxProbe ? $"probe {Probe} is outside 1 to {MaxProbe}."
        : Rerank is < 1 or > MaxRerank ? $"rerank {Rerank} is outside 1 to {MaxRerank}."
        : null;
}
