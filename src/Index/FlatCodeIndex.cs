namespace MovieRecommender.Index;

/// <summary>
/// Every row's codes scanned (no partitioning): int8 with per-dimension scales (FAISS <c>IndexScalarQuantizer</c>
/// QT_8bit, our <see cref="Int8Scan"/>) or 4-bit PQ in the FastScan layout (FAISS <c>IndexPQFastScan</c>, our
/// <see cref="FastScanLut16"/>).
/// </summary>
public sealed class FlatCodeIndex : CodeIndex
{
    private readonly CodeScanner _scanner;

    private FlatCodeIndex(int count, int dim, SimdLevel simd, CodeScanner scanner, TimeSpan buildTime)
        : base(count, dim, simd, buildTime) => _scanner = scanner;

    /// <summary>int8 codes of every row.</summary>
    public static FlatCodeIndex BuildInt8(float[] vectors, int dim, IndexOptions? options = null)
    {
        options ??= IndexOptions.Default;
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var rows = CheckedRows(vectors, dim);
        var scales = Int8Codes.ComputeScales(vectors, dim);
        var codes = Int8Codes.Encode(vectors, dim, scales, null, rows, Threads(options));
        return new FlatCodeIndex(rows, dim, SimdSupport.Resolve(options.Simd), new Int8Scanner(codes), System.Diagnostics.Stopwatch.GetElapsedTime(started));
    }

    /// <summary>4-bit PQ codes of every row, <see cref="IndexOptions.PqSubspaces"/> subspaces (default about dim / 2).</summary>
    public static FlatCodeIndex BuildPq4(float[] vectors, int dim, IndexOptions? options = null)
    {
        options ??= IndexOptions.Default;
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var rows = CheckedRows(vectors, dim);
        var scanner = Pq4Scanner.Train(vectors, dim, rows, null, rows, options, Threads(options));
        return new FlatCodeIndex(rows, dim, SimdSupport.Resolve(options.Simd), scanner, System.Diagnostics.Stopwatch.GetElapsedTime(started));
    }

    public override IndexSpec Spec => _scanner is Pq4Scanner pq
        ? new IndexSpec(IndexKind.Pq4, Subspaces: pq.Subspaces)
        : new IndexSpec(IndexKind.Int8);

    public override double BytesPerVector => _scanner.BytesPerVector;

    public override long ExtraBytes => _scanner.CodeBytes;

    public override int DefaultRerank(int k) => _scanner.DefaultRerank(k);

    internal override void Collect(ReadOnlySpan<float> query, int k, ReadOnlySpan<int> excludedIds, SearchParameters parameters, CandidateHeap candidates) =>
        _scanner.ScanAll(_scanner.Prepare(query), Count, candidates, excludedIds, Simd);

    internal static int CheckedRows(float[] vectors, int dim)
    {
        ArgumentNullException.ThrowIfNull(vectors);
        VectorGuard.CheckRows(vectors, dim, nameof(vectors));
        return vectors.Length / dim;
    }

    internal static int Threads(IndexOptions options) => Math.Max(1, options.BuildThreads ?? Environment.ProcessorCount);
}
