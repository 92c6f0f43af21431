using System.Runtime.CompilerServices;

namespace MovieRecommender.Index;

/// <summary>
/// The exact rerank around an approximate index (FAISS <c>IndexRefine</c> over <c>IndexFlat</c>): the base index
/// proposes the K' best candidates by approximate score, their float32 rows are scored exactly and the best K returned
/// in <see cref="TopKOrder"/>. K' is <see cref="SearchParameters.Rerank"/>, else <see cref="Rerank"/>, else the base's
/// default for K.
/// </summary>
public sealed class RefineIndex : IVectorIndex
{
    private readonly float[] _vectors;
    private readonly bool _portable;

    /// <param name="baseIndex">Built over <paramref name="vectors"/>.</param>
    /// <param name="vectors">The float32 rows (referenced, not copied).</param>
    /// <param name="rerank">K' for every query (null: the base's default for the query's K).</param>
    public RefineIndex(CodeIndex baseIndex, float[] vectors, int? rerank = null)
    {
        ArgumentNullException.ThrowIfNull(baseIndex);
        ArgumentNullException.ThrowIfNull(vectors);
        if (vectors.Length != (long)baseIndex.Count * baseIndex.Dimension)
            throw new ArgumentException($"The base index holds {baseIndex.Count} x {baseIndex.Dimension} floats but {vectors.Length} were given; pass the rows it was built over.", nameof(vectors));
        if (rerank < 1) throw new ArgumentOutOfRangeException(nameof(rerank), rerank, "The rerank depth K' must be at least 1.");
        Base = baseIndex;
        _vectors = vectors;
        Rerank = rerank;
        _portable = baseIndex.Simd == SimdLevel.Portable;
        BuildTime = baseIndex.BuildTime;
    }

    public CodeIndex Base { get; }

    /// <summary>K' fixed for every query, or null when it follows K.</summary>
    public int? Rerank { get; }

    /// <summary>How the default probe was chosen, when it was calibrated at build time.</summary>
    public ProbeCalibration? Calibration { get; init; }

    public int Count => Base.Count;

    public int Dimension => Base.Dimension;

    public IndexSpec Spec => Base.Spec with { Rerank = Rerank };

    public SimdLevel Simd => Base.Simd;

    /// <summary>The base's build, plus whatever the factory did around it (a calibration).</summary>
    public TimeSpan BuildTime { get; init; }

    public double BytesPerVector => Base.BytesPerVector;

    public long ExtraBytes => Base.ExtraBytes;

    /// <summary>The candidates reranked exactly for a query asking for K (before capping at the rows left).</summary>
    public int RerankFor(int k, SearchParameters parameters = default) =>
        Math.Max(parameters.Rerank ?? Rerank ?? Base.DefaultRerank(k), k);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public SearchHit[] Search(ReadOnlySpan<float> query, int k, ReadOnlySpan<int> excludedIds = default, SearchParameters parameters = default)
    {
        VectorGuard.CheckQuery(query, Dimension, nameof(query));
        ArgumentOutOfRangeException.ThrowIfNegative(k);
        VectorGuard.CheckSorted(excludedIds, nameof(excludedIds));
        if (k == 0 || Count == 0) return [];
        var available = Count - new Exclusions(excludedIds).CountWithin(Count);
        k = Math.Min(k, available);
        if (k == 0) return [];
        var candidates = new CandidateHeap(Math.Min(RerankFor(k, parameters), available));
        Base.Collect(query, k, excludedIds, parameters, candidates);
        return ExactRerank.TopK(_vectors, Dimension, query, candidates.Finish(), k, _portable);
    }
}
