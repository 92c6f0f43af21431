namespace MovieRecommender.Index;

/// <summary>
/// The exact index (FAISS <c>IndexFlatIP</c>): every float32 row scored with <see cref="FloatDot"/>, the K best kept in
/// <see cref="TopKOrder"/>. No build, no extra memory; the ground truth every other index is measured against.
/// </summary>
public sealed class FlatIndex : IVectorIndex
{
    private readonly float[] _vectors;

    private FlatIndex(float[] vectors, int dim, SimdLevel simd)
    {
        _vectors = vectors;
        Dimension = dim;
        Count = vectors.Length / dim;
        Simd = simd;
    }

    /// <summary>Wraps rows x <paramref name="dim"/> floats, row-major (referenced, not copied). Refuses NaN, infinity and a ragged length.</summary>
    public static FlatIndex Build(float[] vectors, int dim, SimdLevel? simd = null)
    {
        ArgumentNullException.ThrowIfNull(vectors);
        VectorGuard.CheckRows(vectors, dim, nameof(vectors));
        return new FlatIndex(vectors, dim, SimdSupport.Resolve(simd));
    }

    public int Count { get; }

    public int Dimension { get; }

    public IndexSpec Spec { get; } = new(IndexKind.Exact);

    public SimdLevel Simd { get; }

    public TimeSpan BuildTime => TimeSpan.Zero;

    public double BytesPerVector => Dimension * sizeof(float);

    public long ExtraBytes => 0;

    public SearchHit[] Search(ReadOnlySpan<float> query, int k, ReadOnlySpan<int> excludedIds = default, SearchParameters parameters = default)
    {
        VectorGuard.CheckQuery(query, Dimension, nameof(query));
        ArgumentOutOfRangeException.ThrowIfNegative(k);
        VectorGuard.CheckSorted(excludedIds, nameof(excludedIds));
        if (k == 0 || Count == 0) return [];
        return FloatScan.TopK(_vectors, Dimension, query, k, excludedIds, Simd == SimdLevel.Portable);
    }
}
