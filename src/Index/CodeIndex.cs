namespace MovieRecommender.Index;

/// <summary>
/// An approximate index over quantized codes (FAISS: <c>IndexScalarQuantizer</c>, <c>IndexPQFastScan</c>,
/// <c>IndexIVF</c>): it finds candidates by their approximate integer scores and leaves the exact scores to a
/// <see cref="RefineIndex"/> around it, which is what <see cref="VectorIndex.Build(float[], int, IndexSpec, IndexOptions?)"/> returns.
/// </summary>
public abstract class CodeIndex
{
    private protected CodeIndex(int count, int dim, SimdLevel simd, TimeSpan buildTime)
    {
        Count = count;
        Dimension = dim;
        Simd = simd;
        BuildTime = buildTime;
    }

    public int Count { get; }

    public int Dimension { get; }

    public SimdLevel Simd { get; }

    public TimeSpan BuildTime { get; }

    /// <summary>What this index is, without the rerank (which belongs to the <see cref="RefineIndex"/> around it).</summary>
    public abstract IndexSpec Spec { get; }

    /// <summary>Code bytes scanned per vector (plus the id map for IVF).</summary>
    public abstract double BytesPerVector { get; }

    /// <summary>Codes, codebooks, scales, centroids and id map.</summary>
    public abstract long ExtraBytes { get; }

    /// <summary>The candidates to rerank exactly, K', for a query asking for K when nothing fixes it.</summary>
    public abstract int DefaultRerank(int k);

    /// <summary>
    /// Offers the approximate scores of the rows this index scans for <paramref name="query"/> to
    /// <paramref name="candidates"/>, skipping <paramref name="excludedIds"/> (sorted ascending). <paramref name="k"/>:
    /// the caller needs at least this many candidates (an IVF probe widens until it has them).
    /// </summary>
    internal abstract void Collect(ReadOnlySpan<float> query, int k, ReadOnlySpan<int> excludedIds, SearchParameters parameters, CandidateHeap candidates);
}
