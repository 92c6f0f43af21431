namespace MovieRecommender.Index;

/// <summary>How to build an index (<see cref="VectorIndex"/>): what an <see cref="IndexSpec"/> leaves unset. The defaults pick a kind from the shard's size.</summary>
public sealed record IndexOptions
{
    public static IndexOptions Default { get; } = new();

    /// <summary>
    /// The kind a spec sets (<see cref="IndexSpec.ApplyTo"/>). In a silo's section <c>Index</c> (<c>Index:Kind=pq4</c>),
    /// a kind other than auto replaces <c>auto</c> for the versions published with it (benchmarks that compare kinds).
    /// </summary>
    public IndexKind Kind { get; init; } = IndexKind.Auto;

    /// <summary>Candidates reranked exactly per query, K' (null: the codes' default for the query's K).</summary>
    public int? Rerank { get; init; }

    /// <summary>PQ4 subspaces, even, 2 to 256 (null: about dimension / 2, two dimensions per 4-bit code).</summary>
    public int? PqSubspaces { get; init; }

    /// <summary>IVF lists (null: about twice the square root of the row count).</summary>
    public int? IvfLists { get; init; }

    /// <summary>IVF lists probed per query (null: calibrated at build time to <see cref="RecallTarget"/>, see <see cref="ProbeCalibration"/>).</summary>
    public int? IvfProbe { get; init; }

    /// <summary>The mean recall@<see cref="CalibrationK"/> an unset IVF probe is calibrated to, on the shard's own rows as queries.</summary>
    public double RecallTarget { get; init; } = IndexDefaults.RecallTarget;

    /// <summary>Rows sampled as queries to calibrate the IVF probe.</summary>
    public int CalibrationQueries { get; init; } = 256;

    /// <summary>
    /// The calibration's queries are sampled rows plus isotropic noise of this many times the row's norm: 0 asks with
    /// the rows themselves, which proved easier than users (the probe came out too small).
    /// </summary>
    public double CalibrationNoise { get; init; } = 0.7;

    /// <summary>K of the calibration's recall (the serving K per shard).</summary>
    public int CalibrationK { get; init; } = 10;

    /// <summary>k-means iterations, for the PQ codebooks and the IVF centroids.</summary>
    public int KMeansIterations { get; init; } = 10;

    /// <summary>Rows sampled to train k-means (PQ codebooks and IVF centroids).</summary>
    public int TrainingSample { get; init; } = 65_536;

    /// <summary>The scan kernels' instruction set (null: the best this CPU has). <see cref="SimdLevel.Portable"/> forces the scalar path.</summary>
    public SimdLevel? Simd { get; init; }

    /// <summary>Threads used to build (null: every core). Searching is always single-threaded.</summary>
    public int? BuildThreads { get; init; }

    public int Seed { get; init; } = 42;
}

/// <summary>Per-query overrides of the build's search parameters (to sweep recall against speed without rebuilding).</summary>
public readonly record struct SearchParameters(int? Rerank = null, int? Probe = null);
