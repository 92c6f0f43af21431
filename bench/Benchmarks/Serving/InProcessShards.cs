using System.Diagnostics;
using MovieRecommender.Artifacts;
using MovieRecommender.Grains;
using MovieRecommender.Grains.Search;
using MovieRecommender.Index;

namespace MovieRecommender.Benchmarks.Serving;

/// <summary>What searching the shards in process measured for one index setting.</summary>
public sealed record InProcessReport(
    string Index,
    IReadOnlyList<string> ResolvedSpecs,
    double BuildSeconds,
    long FloatBytes,
    long IndexExtraBytes,
    int Queries,
    double CpuMsPerRecommendation,
    double WallMsPerRecommendation,
    double P50Ms,
    double P99Ms,
    double RecallAt10,
    int RecallAnswers);

/// <summary>
/// The same shards a silo would hold (<see cref="Partitioning.ShardRows"/>, <see cref="VectorIndex.Build"/> with the
/// same spec) built in this process, and a user's recommendation computed as the silo computes it, without Orleans:
/// the user's embedding searched in every shard one after the other, the user's seen movies excluded, the shards' top
/// K merged (<see cref="TopKCollector"/>, the fan-out's merge). One query at a time on one thread: the CPU a
/// recommendation's search costs, against which the served recommendation's silo CPU is compared.
/// </summary>
public sealed class InProcessShards
{
    private readonly ModelArtifact _artifact;
    private readonly IVectorIndex[] _indexes;
    private readonly int[] _firstRows;
    private readonly Dictionary<string, int> _rowOfItem;

    private InProcessShards(ModelArtifact artifact, IVectorIndex[] indexes, int[] firstRows, Dictionary<string, int> rowOfItem, double buildSeconds)
    {
        _artifact = artifact;
        _indexes = indexes;
        _firstRows = firstRows;
        _rowOfItem = rowOfItem;
        BuildSeconds = buildSeconds;
    }

    public double BuildSeconds { get; }

    public static InProcessShards Build(ModelArtifact artifact, int shards, IndexSpec spec, Dictionary<string, int> rowOfItem)
    {
        var watch = Stopwatch.StartNew();
        var dim = artifact.Manifest.Dimension;
        var indexes = new IVectorIndex[shards];
        var firstRows = new int[shards];
        for (var shard = 0; shard < shards; shard++)
        {
            var (start, count) = Partitioning.ShardRows(artifact.Items.Count, shards, shard);
            // A shard holds its own copy of its rows, as a candidate shard grain does.
            var rows = artifact.ItemEmbeddings.Values.AsSpan(start * dim, count * dim).ToArray();
            indexes[shard] = VectorIndex.Build(rows, dim, spec);
            firstRows[shard] = start;
        }
        return new InProcessShards(artifact, indexes, firstRows, rowOfItem, watch.Elapsed.TotalSeconds);
    }

    /// <summary>The global rows of a user's top <paramref name="k"/>, best first.</summary>
    public int[] Recommend(int userRow, int k)
    {
        var user = _artifact.Users[userRow];
        var excluded = new int[user.Seen.Count];
        for (var i = 0; i < excluded.Length; i++) excluded[i] = _rowOfItem[user.Seen[i]];
        Array.Sort(excluded);
        var query = _artifact.UserEmbeddings.Row(userRow);
        // As the fan-out merges: every shard's top K in global rows, sorted once in the one top-K order.
        var merged = new List<SearchHit>(_indexes.Length * k);
        for (var shard = 0; shard < _indexes.Length; shard++)
        {
            var first = _firstRows[shard];
            var local = LocalRows(excluded, first, _indexes[shard].Count);
            foreach (var hit in _indexes[shard].Search(query, k, local))
                merged.Add(new SearchHit(first + hit.Id, hit.Score));
        }
        merged.Sort(static (x, y) => TopKOrder.BestFirst(x.Score, x.Id, y.Score, y.Id));
        return [.. merged.Take(k).Select(h => h.Id)];
    }

    /// <summary>
    /// Asks for the users of <paramref name="userRows"/> one at a time (after a few unmeasured ones), going round them
    /// again until <paramref name="minSeconds"/> have passed (/proc counts CPU in 10 ms ticks), timing each and the
    /// process's CPU over the loop; the recall is over the users of <paramref name="sample"/>.
    /// </summary>
    public InProcessReport Measure(string index, IReadOnlyList<int> userRows, RecallSample sample, int k, double minSeconds, CancellationToken ct)
    {
        foreach (var row in userRows.Take(Math.Min(50, userRows.Count))) Recommend(row, k);
        var latencies = new List<double>(userRows.Count);
        var cpuBefore = ProcessCpuSeconds();
        var watch = Stopwatch.StartNew();
        for (var i = 0; i < userRows.Count || watch.Elapsed.TotalSeconds < minSeconds; i++)
        {
            ct.ThrowIfCancellationRequested();
            var started = Stopwatch.GetTimestamp();
            Recommend(userRows[i % userRows.Count], k);
            latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }
        var wall = watch.Elapsed.TotalSeconds;
        var cpu = ProcessCpuSeconds() - cpuBefore;
        var recalls = sample.UserRows.Select(row => sample.Recall(row, Recommend(row, k))).ToArray();
        latencies.Sort();
        var queries = latencies.Count;
        var dim = _artifact.Manifest.Dimension;
        return new InProcessReport(
            index,
            [.. _indexes.Select(i => i.Spec.ToString()).Distinct()],
            BuildSeconds,
            (long)_artifact.Items.Count * dim * sizeof(float),
            _indexes.Sum(i => i.ExtraBytes),
            queries,
            queries == 0 ? 0 : cpu * 1000 / queries,
            queries == 0 ? 0 : wall * 1000 / queries,
            MovieRecommender.Operations.Load.Percentiles.OfSorted(latencies, 0.50),
            MovieRecommender.Operations.Load.Percentiles.OfSorted(latencies, 0.99),
            recalls.Length == 0 ? 1 : recalls.Average(),
            recalls.Length);
    }

    /// <summary>utime + stime of this process (/proc), in seconds.</summary>
    private static double ProcessCpuSeconds() => ProcessStats.CpuSeconds(Environment.ProcessId) ?? 0;

    /// <summary>The sorted global rows that fall in [first, first + count), as the shard's 0-based ids (the grain's own rule).</summary>
    private static int[] LocalRows(int[] sorted, int first, int count)
    {
        var from = LowerBound(sorted, first);
        var to = LowerBound(sorted, first + count);
        var local = new int[Math.Max(0, to - from)];
        for (var i = 0; i < local.Length; i++) local[i] = sorted[from + i] - first;
        return local;
    }

    private static int LowerBound(int[] sorted, int value)
    {
        var index = Array.BinarySearch(sorted, value);
        if (index < 0) return ~index;
        while (index > 0 && sorted[index - 1] == value) index--;
        return index;
    }
}
