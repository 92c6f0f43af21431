namespace MovieRecommender.Index;

/// <summary>How a <see cref="MipsIndex"/> finds its candidates; every tier returns exact float32 scores.</summary>
public enum IndexTier
{
    /// <summary>Pick by shard size: <see cref="Exact"/> for small shards, <see cref="Int8"/> above, <see cref="Ivf"/> for large ones.</summary>
    Auto = 0,

    /// <summary>Brute force over the float32 rows: exact, no build.</summary>
    Exact = 1,

    /// <summary>Tier 1: int8 codes with per-dimension scales, a SIMD integer scan, an exact rerank of the best K'.</summary>
    Int8 = 2,

    /// <summary>Tier 2: 4-bit product quantization scanned with 16-entry lookup tables in registers, then the exact rerank.</summary>
    Pq4 = 3,

    /// <summary>Tier 3: k-means lists, a few probed per query, each scanned with int8 or PQ4 codes, then the exact rerank.</summary>
    Ivf = 4,
}

/// <summary>The codes an <see cref="IndexTier.Ivf"/> index scans inside its lists.</summary>
public enum IvfCodes
{
    Int8 = 0,
    Pq4 = 1,
}
