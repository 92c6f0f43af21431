namespace MovieRecommender.Index;

/// <summary>
/// What <see cref="IndexSpec.Auto"/> builds for a shard of a given size and dimension: exact below
/// <see cref="ExactBelow"/> rows, int8 codes scanned in full up to <see cref="IvfFrom"/>, IVF over int8 residuals from
/// there, its probe calibrated on the shard's own rows to <see cref="IndexOptions.RecallTarget"/> and, when that takes
/// more than <see cref="MaxAutoProbe"/> lists (data without cluster structure), int8 scanned in full instead.
/// </summary>
public static class IndexDefaults
{
    /// <summary>Shards below this many rows are searched by brute force: exact, and fast enough.</summary>
    public const int ExactBelow = 4096;

    /// <summary>Shards from this many rows are partitioned into IVF lists, so that a query scans a few percent of them.</summary>
    public const int IvfFrom = 16_384;

    /// <summary>
    /// The recall@10 an automatic IVF probe is calibrated to on the shard's own rows. Above the served bar of 0.95: a
    /// shard holding the whole catalogue (the default on one silo) answers with about its calibrated recall, and at
    /// 0.95 its noisy-row calibration served users 0.9455 at 1M movies (the serve benchmark).
    /// </summary>
    public const double RecallTarget = 0.97;

    /// <summary>An automatic IVF probing more than this fraction of its lists scans too much to beat flat int8 codes.</summary>
    public const double MaxAutoProbeFraction = 0.25;

    public static IndexSpec Choose(int rows, int dim) =>
        rows < ExactBelow ? new IndexSpec(IndexKind.Exact)
        : rows >= IvfFrom ? new IndexSpec(IndexKind.IvfInt8)
        : new IndexSpec(IndexKind.Int8);

    /// <summary>The largest probe an automatic IVF may calibrate to before falling back to flat int8.</summary>
    public static int MaxAutoProbe(int lists) => Math.Max(1, (int)(lists * MaxAutoProbeFraction));
}
