using System.Runtime.CompilerServices;
using System.Diagnostics;

namespace MovieRecommender.Index;

/// <summary>
/// Maximum inner product search over one shard's float32 rows: the top K by dot product (never cosine), skipping
/// excluded ids, with exact float32 scores whatever the tier. Ids are row indices in the shard, 0-based.
/// The index keeps a reference to the rows (for the exact rerank); do not change them after building.
/// Searching is thread-safe and single-threaded per query.
/// </summary>
public sealed class MipsIndex : IVectorIndex
{
    private readonly float[] _vectors;
    private readonly CodeScanner? _scanner;
    private readonly IvfLists? _lists;
    private readonly bool _portable;

    private MipsIndex(float[] vectors, int dim, IndexTier tier, IndexOptions options, SimdLevel simd, CodeScanner? scanner, IvfLists? lists, TimeSpan buildTime)
    {
        _vectors = vectors;
        Dimension = dim;
        Count = dim == 0 ? 0 : vectors.Length / dim;
        Tier = tier;
        Options = options;
        Simd = simd;
        _scanner = scanner;
        _lists = lists;
        _portable = simd == SimdLevel.Portable;
        BuildTime = buildTime;
    }

    public int Count { get; }

    public int Dimension { get; }

    /// <summary>IVF lists (0 unless the tier is <see cref="IndexTier.Ivf"/>).</summary>
    public int ListCount => _lists?.Count ?? 0;

    /// <summary>The tier in use (never <see cref="IndexTier.Auto"/>).</summary>
    public IndexTier Tier { get; }

    public IndexOptions Options { get; }

    /// <summary>The tier as operators read it in telemetry: exact, int8, pq4, ivf-int8 or ivf-pq4.</summary>
    public string TierName => Tier switch
    {
        IndexTier.Exact => "exact",
        IndexTier.Int8 => "int8",
        IndexTier.Pq4 => "pq4",
        IndexTier.Ivf => Options.IvfCodes == IvfCodes.Pq4 ? "ivf-pq4" : "ivf-int8",
        _ => Tier.ToString().ToLowerInvariant(),
    };

    /// <summary>The instruction set the scan runs on.</summary>
    public SimdLevel Simd { get; }

    /// <summary>What was built, with the lists, probe and subspaces it uses (rerank only when fixed; else it follows K).</summary>
    public IndexSpec Spec => new(Tier, Tier == IndexTier.Ivf ? Options.IvfCodes : Tier == IndexTier.Pq4 ? IvfCodes.Pq4 : IvfCodes.Int8,
        Lists: _lists?.Count, Probe: _lists is null ? null : ProbeFor(),
        Rerank: Tier == IndexTier.Exact ? null : Options.Rerank,
        Subspaces: _scanner is Pq4Scanner pq ? pq.Subspaces : null);

    public TimeSpan BuildTime { get; }

    /// <summary>Bytes scanned per vector: the float32 row for <see cref="IndexTier.Exact"/>, else the codes (plus the IVF id map).</summary>
    public double BytesPerVector => Tier switch
    {
        IndexTier.Exact => Dimension * sizeof(float),
        IndexTier.Ivf => _scanner!.BytesPerVector + sizeof(int),
        _ => _scanner!.BytesPerVector,
    };

    /// <summary>Memory the index adds to the float32 rows it references (codes, codebooks, centroids, id map).</summary>
    public long ExtraBytes => (_scanner?.CodeBytes ?? 0) + (_lists is null ? 0 : _lists.PositionToRow.LongLength * sizeof(int) + _lists.Centroids.LongLength * sizeof(float));

    /// <summary>The tier <see cref="IndexTier.Auto"/> picks for a shard of this many rows.</summary>
    public static IndexTier ChooseTier(int rows, IndexOptions options) =>
        options.Tier != IndexTier.Auto ? options.Tier
        : rows < options.ExactBelow ? IndexTier.Exact
        : rows >= options.IvfFrom ? IndexTier.Ivf
        : IndexTier.Int8;

    /// <summary>Builds an index over rows x <paramref name="dim"/> floats, row-major. Refuses NaN, infinity and a ragged length.</summary>
    public static MipsIndex Build(float[] vectors, int dim, IndexOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(vectors);
        options ??= IndexOptions.Default;
        VectorGuard.CheckRows(vectors, dim, nameof(vectors));
        var simd = SimdSupport.Resolve(options.Simd);
        var threads = Math.Max(1, options.BuildThreads ?? Environment.ProcessorCount);
        var rows = vectors.Length / dim;
        var tier = ChooseTier(rows, options);
        var started = Stopwatch.GetTimestamp();
        CodeScanner? scanner = null;
        IvfLists? lists = null;
        if (rows > 0 && tier != IndexTier.Exact)
        {
            var usePq = tier == IndexTier.Pq4 || (tier == IndexTier.Ivf && options.IvfCodes == IvfCodes.Pq4);
            var blockRows = usePq ? FastScanCodes.BlockRows : Int8Codes.BlockRows;
            int[]? order = null;
            var positions = rows;
            // IVF codes hold each row's residual from its list's centroid (the centroid's dot product is added back
            // per list at search time): a smaller range, so finer codes.
            var encoded = vectors;
            if (tier == IndexTier.Ivf)
            {
                lists = IvfLists.Build(vectors, dim, options.IvfLists ?? IvfLists.DefaultLists(rows), blockRows, options, threads, out var assignment);
                order = lists.PositionToRow;
                positions = order.Length;
                encoded = lists.Residuals(vectors, assignment, threads);
            }
            if (usePq)
            {
                var subspaces = options.PqSubspaces ?? ProductQuantizer.DefaultSubspaces(dim);
                var sample = KMeans.Sample(rows, options.TrainingSample, options.Seed + 1);
                var quantizer = ProductQuantizer.Train(encoded, dim, subspaces, sample, options.KMeansIterations, options.Seed, threads);
                var codes = quantizer.Encode(encoded, threads);
                scanner = new Pq4Scanner(quantizer, FastScanCodes.Pack(codes, subspaces, rows, order, positions, threads));
            }
            else
            {
                var scales = Int8Codes.ComputeScales(encoded, dim);
                scanner = new Int8Scanner(Int8Codes.Encode(encoded, dim, scales, order, positions, threads));
            }
        }
        return new MipsIndex(vectors, dim, tier, options, simd, scanner, lists, Stopwatch.GetElapsedTime(started));
    }

    /// <summary>The candidates reranked exactly for a query asking for K (before capping at the shard size).</summary>
    public int RerankFor(int k, SearchParameters parameters = default)
    {
        var rerank = parameters.Rerank ?? Options.Rerank ?? Tier switch
        {
            IndexTier.Pq4 => Math.Max(20 * k, 256),
            IndexTier.Ivf when Options.IvfCodes == IvfCodes.Pq4 => Math.Max(20 * k, 256),
            _ => Math.Max(5 * k, 64),
        };
        return Math.Max(rerank, k);
    }

    /// <summary>IVF lists probed per query.</summary>
    public int ProbeFor(SearchParameters parameters = default) =>
        _lists is null ? 0 : Math.Clamp(parameters.Probe ?? Options.IvfProbe ?? IvfLists.DefaultProbe(_lists.Count), 1, _lists.Count);

    /// <summary>
    /// The K rows with the highest exact dot product with the query, best first (ties: lower id first), skipping
    /// <paramref name="excludedIds"/> (sorted ascending; ids outside the shard are ignored). Returns fewer than K only
    /// when the shard has fewer rows left; K larger than the shard returns the whole shard.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public SearchHit[] Search(ReadOnlySpan<float> query, int k, ReadOnlySpan<int> excludedIds = default, SearchParameters parameters = default)
    {
        VectorGuard.CheckQuery(query, Dimension, nameof(query));
        ArgumentOutOfRangeException.ThrowIfNegative(k);
        VectorGuard.CheckSorted(excludedIds, nameof(excludedIds));
        if (k == 0 || Count == 0) return [];
        var exclusions = new Exclusions(excludedIds);
        var available = Count - exclusions.CountWithin(Count);
        k = Math.Min(k, available);
        if (k == 0) return [];
        if (_scanner is null) return FloatScan.TopK(_vectors, Dimension, query, k, excludedIds, _portable);

        var rerank = Math.Min(RerankFor(k, parameters), available);
        var heap = new CandidateHeap(rerank);
        var prepared = _scanner.Prepare(query);
        if (_lists is null)
        {
            _scanner.ScanAll(prepared, Count, heap, excludedIds, Simd);
        }
        else
        {
            var probe = ProbeFor(parameters);
            var centroidScores = _lists.CentroidScores(query);
            var probed = _lists.BestLists(centroidScores, probe);
            // Too few candidates after the probe (small lists, many exclusions): further lists, best first, until K.
            var rest = probed.Length < _lists.Count ? null : Array.Empty<int>();
            HashSet<int>? seen = null;
            for (var i = 0; ; i++)
            {
                int list;
                if (i < probed.Length) list = probed[i];
                else
                {
                    if (heap.Count >= k) break;
                    rest ??= _lists.BestLists(centroidScores, _lists.Count);
                    seen ??= [.. probed];
                    if (i - probed.Length >= rest.Length) break;
                    list = rest[i - probed.Length];
                    if (!seen.Add(list)) continue;
                }
                _scanner.Scan(prepared, _lists.FirstBlock[list], _lists.Blocks[list], prepared.ToScoreUnits(centroidScores[list]),
                    heap, _lists.PositionToRow, int.MaxValue, exclusions, Simd);
            }
        }
        return ExactRerank.TopK(_vectors, Dimension, query, heap.Finish(), k, _portable);
    }
}
