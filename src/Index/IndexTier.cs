namespace MovieRecommender.Index;

/// <summary>The kind of index (<see cref="IndexSpec.Kind"/>); every kind returns exact float32 scores.</summary>
public enum IndexTier
{
    /// <summary>Pick by shard size (<see cref="IndexDefaults"/>): <see cref="Exact"/> for small shards, <see cref="Int8"/> above, <see cref="Ivf"/> for large ones.</summary>
    Auto = 0,

    /// <summary>Brute force over the float32 rows (<see cref="FlatIndex"/>): exact, no build.</summary>
    Exact = 1,

    /// <summary>int8 codes with per-dimension scales, a SIMD integer scan (<see cref="FlatCodeIndex"/>), an exact rerank of the best K' (<see cref="RefineIndex"/>).</summary>
    Int8 = 2,

    /// <summary>4-bit product quantization scanned with 16-entry lookup tables in registers (<see cref="FlatCodeIndex"/>), then the exact rerank.</summary>
    Pq4 = 3,

    /// <summary>k-means lists, a few probed per query, each scanned with int8 or PQ4 codes (<see cref="IvfIndex"/>), then the exact rerank.</summary>
    Ivf = 4,
}

/// <summary>The codes an <see cref="IndexTier.Ivf"/> index scans inside its lists.</summary>
public enum IvfCodes
{
    Int8 = 0,
    Pq4 = 1,
}
