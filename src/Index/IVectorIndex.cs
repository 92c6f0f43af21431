namespace MovieRecommender.Index;

/// <summary>
/// An inner-product index over one shard's float32 rows (FAISS's <c>Index</c>): the top K by exact dot product, in
/// <see cref="TopKOrder"/>, skipping excluded ids, with per-query <see cref="SearchParameters"/>. Ids are 0-based rows.
/// Searching is thread-safe; each query runs on one thread.
/// </summary>
public interface IVectorIndex
{
    int Count { get; }

    int Dimension { get; }

    /// <summary>What was built, every parameter resolved (never <see cref="IndexKind.Auto"/>), e.g. <c>ivf-int8:lists=250,probe=10,rerank=64</c>.</summary>
    IndexSpec Spec { get; }

    /// <summary>The instruction set the scan runs on.</summary>
    SimdLevel Simd { get; }

    TimeSpan BuildTime { get; }

    /// <summary>Bytes scanned per vector (the float32 row for exact, else the codes plus any id map).</summary>
    double BytesPerVector { get; }

    /// <summary>Memory the index adds to the float32 rows it references (codes, codebooks, centroids, id map).</summary>
    long ExtraBytes { get; }

    /// <summary>
    /// The K rows with the highest exact dot product with the query, best first (<see cref="TopKOrder"/>), skipping
    /// <paramref name="excludedIds"/> (sorted ascending; ids outside the index are ignored). Returns fewer than K only
    /// when fewer rows are left.
    /// </summary>
    SearchHit[] Search(ReadOnlySpan<float> query, int k, ReadOnlySpan<int> excludedIds = default, SearchParameters parameters = default);
}
