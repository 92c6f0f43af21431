namespace MovieRecommender.Index;

/// <summary>
/// The index API the shard grain used before <see cref="IVectorIndex"/>: a thin facade over what
/// <see cref="VectorIndex.Build(float[], int, IndexOptions)"/> builds. Delete it once the grain calls
/// <see cref="VectorIndex"/> itself.
/// </summary>
public sealed class MipsIndex : IVectorIndex
{
    private MipsIndex(IVectorIndex inner, IndexOptions options)
    {
        Inner = inner;
        Options = options;
    }

    /// <summary>The index built (a <see cref="FlatIndex"/> or a <see cref="RefineIndex"/>).</summary>
    public IVectorIndex Inner { get; }

    public IndexOptions Options { get; }

    public int Count => Inner.Count;

    public int Dimension => Inner.Dimension;

    /// <summary>IVF lists (0 unless an <see cref="IvfIndex"/> was built).</summary>
    public int ListCount => Ivf?.Lists ?? 0;

    /// <summary>The tier in use (never <see cref="IndexTier.Auto"/>).</summary>
    public IndexTier Tier => Spec.Tier;

    /// <summary>The tier as operators read it in telemetry: exact, int8, pq4, ivf-int8 or ivf-pq4.</summary>
    public string TierName => Spec.Kind;

    public SimdLevel Simd => Inner.Simd;

    public IndexSpec Spec => Inner.Spec;

    public TimeSpan BuildTime => Inner.BuildTime;

    public double BytesPerVector => Inner.BytesPerVector;

    public long ExtraBytes => Inner.ExtraBytes;

    private IvfIndex? Ivf => (Inner as RefineIndex)?.Base as IvfIndex;

    /// <summary>The tier <see cref="IndexTier.Auto"/> picks for a shard of this many rows.</summary>
    public static IndexTier ChooseTier(int rows, IndexOptions options) => IndexDefaults.ChooseTier(rows, options);

    /// <summary>Builds an index over rows x <paramref name="dim"/> floats, row-major. Refuses NaN, infinity and a ragged length.</summary>
    public static MipsIndex Build(float[] vectors, int dim, IndexOptions? options = null)
    {
        options ??= IndexOptions.Default;
        return new MipsIndex(VectorIndex.Build(vectors, dim, options), options);
    }

    /// <summary>The candidates reranked exactly for a query asking for K (K itself for the exact scan).</summary>
    public int RerankFor(int k, SearchParameters parameters = default) => Inner is RefineIndex refine ? refine.RerankFor(k, parameters) : k;

    /// <summary>IVF lists probed per query (0 without IVF).</summary>
    public int ProbeFor(SearchParameters parameters = default) => Ivf?.ProbeFor(parameters) ?? 0;

    public SearchHit[] Search(ReadOnlySpan<float> query, int k, ReadOnlySpan<int> excludedIds = default, SearchParameters parameters = default) =>
        Inner.Search(query, k, excludedIds, parameters);
}
