namespace MovieRecommender.Index;

/// <summary>What <see cref="IndexSpec.Auto"/> builds for a shard of a given size and dimension.</summary>
public static class IndexDefaults
{
    /// <summary>Shards below this many rows are searched by brute force: exact, and fast enough.</summary>
    public const int ExactBelow = 4096;

    /// <summary>Shards from this many rows are partitioned into IVF lists, so that a query scans a few percent of them.</summary>
    public const int IvfFrom = 4_000_000;

    public static IndexSpec Choose(int rows, int dim) =>
        rows < ExactBelow ? new IndexSpec(IndexTier.Exact)
        : rows >= IvfFrom ? new IndexSpec(IndexTier.Ivf, IvfCodes.Int8)
        : new IndexSpec(IndexTier.Int8);
}
