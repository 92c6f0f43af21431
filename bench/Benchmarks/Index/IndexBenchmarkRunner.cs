using System.Diagnostics;
using System.Globalization;
using MovieRecommender.Benchmarks.Publish;
using MovieRecommender.Index;
using MovieRecommender.Operations.Load;
using Spectre.Console;

namespace MovieRecommender.Benchmarks.Index;

/// <summary>Runs every method and setting over every (n, dim) and K of the settings; one thread per query stream.</summary>
public sealed class IndexBenchmarkRunner(IndexBenchmarkSettings settings, IAnsiConsole console)
{
    private readonly List<AutoBuild> _autoBuilds = [];
    private bool _warm;

    /// <summary>Every row measured, and per dataset and K the best of ours beside each FAISS target (when the exact scan ran).</summary>
    public IndexBenchmarkResult Run(CancellationToken ct)
    {
        var rows = new List<BenchmarkRow>();
        var faiss = new List<FaissComparison>();
        console.MarkupLineInterpolated($"CPU: {Environment.ProcessorCount} cores, SIMD {SimdSupport.Best}; scan kernels on {SimdSupport.Resolve(settings.Simd)}.");
        foreach (var n in settings.Sizes)
        {
            foreach (var dim in settings.Dimensions)
            {
                ct.ThrowIfCancellationRequested();
                var started = Stopwatch.GetTimestamp();
                var data = settings.Data == SyntheticData.Gaussian
                    ? SyntheticEmbeddings.Gaussian(n, dim, settings.Queries, settings.Seed)
                    : SyntheticEmbeddings.Generate(n, dim, settings.Queries, settings.Clusters, settings.Seed);
                var truth = GroundTruth.Compute(data, settings.Ks.Max());
                console.MarkupLineInterpolated($"[grey]n={n:N0} d={dim} ({settings.Data}): data and exact top {settings.Ks.Max()} in {Stopwatch.GetElapsedTime(started).TotalSeconds:F1} s.[/]");
                var datasetRows = RunDataset(data, truth, ct);
                rows.AddRange(datasetRows);
                foreach (var k in settings.Ks) PrintTable(datasetRows.Where(r => r.K == k).ToList(), n, dim, k);
                // FAISS was measured on 1M x 64 clustered rows only: no comparison on other data.
                if (FaissTarget.Applies(n, dim, settings.Data == SyntheticData.Clustered) && datasetRows.Any(r => r.Method.StartsWith("exact", StringComparison.Ordinal)))
                {
                    var comparisons = FaissTarget.Issue12.Where(t => settings.Ks.Contains(t.K))
                        .Select(t => FaissComparison.Of(datasetRows.Where(r => r.K == t.K).ToList(), t)).ToList();
                    PrintFaissTable(comparisons, n, dim);
                    faiss.AddRange(comparisons);
                }
                GC.Collect();
            }
        }
        return new IndexBenchmarkResult(rows, faiss, _autoBuilds);
    }

    private List<BenchmarkRow> RunDataset(SyntheticEmbeddings data, int[][] truth, CancellationToken ct)
    {
        var rows = new List<BenchmarkRow>();
        var n = data.ItemCount;
        var dim = data.Dim;
        var build = new IndexOptions { Simd = settings.Simd };
        if (settings.Methods.Contains("exact"))
        {
            var index = FlatIndex.Build(data.Items, dim, settings.Simd);
            foreach (var k in settings.Ks) rows.Add(Measure("exact-f32-scan", "first", index, data, truth, k, default));
        }
        if (settings.Methods.Contains("int8"))
        {
            var index = Refine(data, FlatCodeIndex.BuildInt8(data.Items, dim, build));
            foreach (var k in settings.Ks)
                foreach (var factor in new[] { 1, 2, 5, 10, 20 })
                    rows.Add(Measure("int8+rerank", $"rerank={factor * k}", index, data, truth, k, new SearchParameters(Rerank: factor * k)));
        }
        if (settings.Methods.Contains("pq4"))
        {
            foreach (var subDim in new[] { 2, 4 })
            {
                if (dim % (2 * subDim) != 0) continue;
                var subspaces = dim / subDim;
                var index = Refine(data, FlatCodeIndex.BuildPq4(data.Items, dim, build with { PqSubspaces = subspaces }));
                foreach (var k in settings.Ks)
                    foreach (var factor in subDim == 2 ? new[] { 5, 10, 20, 40 } : new[] { 10, 20, 40, 80 })
                        rows.Add(Measure($"pq4-lut16(M={subspaces})+rerank", $"M={subspaces},rerank={factor * k}", index, data, truth, k, new SearchParameters(Rerank: factor * k)));
            }
        }
        if (settings.Methods.Contains("ivf") && n >= 1000)
        {
            foreach (var lists in settings.ListsPerSqrtN.Select(f => Math.Max(1, (int)Math.Round(f * Math.Sqrt(n)))).Distinct())
                foreach (var (kind, codes) in new[] { (IndexKind.IvfInt8, "int8"), (IndexKind.IvfPq4, "pq4") })
                {
                    var ivf = IvfIndex.Build(data.Items, dim, kind, build with { IvfLists = lists });
                    var index = Refine(data, ivf);
                    var method = $"ivf{lists}-{codes}+rerank";
                    foreach (var k in settings.Ks)
                        foreach (var rerank in (kind.UsesPq4() ? new[] { 5, 10, 20 } : new[] { 1, 2, 5 }).Select(f => Math.Max(k, f * k)).Distinct())
                            foreach (var probe in ProbeSweep.Where(p => p <= Math.Max(1, ivf.Lists / 4)))
                                rows.Add(Measure(method, $"lists={ivf.Lists},probe={probe},rerank={rerank}", index, data, truth, k, new SearchParameters(Rerank: rerank, Probe: probe)));
                }
        }
        if (settings.Methods.Contains("auto"))
        {
            // What a shard of this size builds by default: the probe calibrated on its own rows, then measured here on the
            // benchmark's queries (which the calibration never saw).
            var index = VectorIndex.Build(data.Items, dim, IndexSpec.Auto, build);
            var calibration = (index as RefineIndex)?.Calibration;
            console.MarkupLineInterpolated($"[grey]auto built {index.Spec} in {index.BuildTime.TotalSeconds:F2} s{(calibration is null ? "" : $"; calibration: {calibration}, {calibration.Duration.TotalSeconds:F2} s; tried {string.Join(", ", calibration.Tried.Select(t => $"{t.Probe}: {t.Recall:F3}"))}")}.[/]");
            _autoBuilds.Add(new AutoBuild(n, dim, settings.Data.ToString(), index.Spec.ToString(), Math.Round(index.BuildTime.TotalSeconds, 2), calibration?.Probe,
                calibration is null ? null : Math.Round(calibration.Recall, 4), calibration is null ? null : Math.Round(calibration.Duration.TotalSeconds, 2),
                calibration?.Tried.Select(t => new CalibrationStep(t.Probe, Math.Round(t.Recall, 4))).ToList()));
            foreach (var k in settings.Ks) rows.Add(Measure("auto", index.Spec.ToString(), index, data, truth, k, default));
        }
        if (settings.Methods.Contains("exact"))
        {
            // Again at the end: the load of a shared machine changes during a run, and the exact scan (memory bound)
            // suffers from it more than a scan of a few lists. Speed-ups are taken against the faster of the two.
            var index = FlatIndex.Build(data.Items, dim, settings.Simd);
            foreach (var k in settings.Ks) rows.Add(Measure("exact-f32-scan", "again, last", index, data, truth, k, default));
        }
        if (settings.Methods.Contains("usearch"))
        {
            ct.ThrowIfCancellationRequested();
            var started = Stopwatch.GetTimestamp();
            using var peer = UsearchPeer.Build(data.Items, dim, settings.UsearchConnectivity, settings.UsearchExpansionAdd, Environment.ProcessorCount);
            var buildSeconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
            var memory = (double)peer.MemoryBytes() / n;
            console.MarkupLineInterpolated($"[grey]usearch HNSW built in {buildSeconds:F1} s ({memory:F0} B/vector).[/]");
            foreach (var k in settings.Ks)
                foreach (var ef in new[] { 1, 2, 4, 8, 16 }.Select(f => Math.Max(32, f * k)).Distinct())
                {
                    peer.SetExpansionSearch(ef);
                    rows.Add(MeasurePeer(peer, $"M={settings.UsearchConnectivity},efC={settings.UsearchExpansionAdd},ef={ef}", data, truth, k, buildSeconds, memory));
                }
        }
        return rows;
    }

    /// <summary>Probes swept for every IVF (up to a quarter of its lists).</summary>
    private static readonly int[] ProbeSweep = [1, 2, 3, 4, 5, 6, 8, 10, 12, 16, 20, 24, 32, 40, 48, 64, 80, 96, 128, 160, 256];

    private RefineIndex Refine(SyntheticEmbeddings data, CodeIndex codes)
    {
        console.MarkupLineInterpolated($"[grey]{codes.Spec} built in {codes.BuildTime.TotalSeconds:F2} s, {codes.BytesPerVector:F1} B/vector scanned.[/]");
        return new RefineIndex(codes, data.Items);
    }

    private BenchmarkRow Measure(string method, string parameters, IVectorIndex index, SyntheticEmbeddings data, int[][] truth, int k, SearchParameters search)
    {
        var queries = data.QueryCount;
        var results = new SearchHit[queries][];
        Warm(q => index.Search(data.Query(q % queries), k, default, search), queries);
        var latencies = new double[queries];
        var cpuStarted = ThreadCpuTime.Seconds();
        for (var q = 0; q < queries; q++)
        {
            var started = Stopwatch.GetTimestamp();
            results[q] = index.Search(data.Query(q), k, default, search);
            latencies[q] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        }
        var cpuSeconds = ThreadCpuTime.Seconds() - cpuStarted;
        // Measured, not assumed: recall of every result set, and every score checked against the exact dot product.
        var recall = 0.0;
        var exact = true;
        for (var q = 0; q < queries; q++)
        {
            recall += GroundTruth.Recall(results[q].Select(h => h.Id).ToArray(), truth[q], k);
            foreach (var hit in results[q])
                exact &= hit.Score == FloatDot.Dot(data.Items.AsSpan(hit.Id * data.Dim, data.Dim), data.Query(q));
            exact &= results[q].Length == k;
        }
        return Row(method, parameters, data, k, recall / queries, latencies, cpuSeconds, index.BuildTime.TotalSeconds, index.BytesPerVector,
            data.Dim * sizeof(float) + (double)index.ExtraBytes / data.ItemCount, exact, index.Simd.ToString());
    }

    private BenchmarkRow MeasurePeer(UsearchPeer peer, string parameters, SyntheticEmbeddings data, int[][] truth, int k, double build, double memory)
    {
        var queries = data.QueryCount;
        var copies = Enumerable.Range(0, queries).Select(q => data.Query(q).ToArray()).ToArray();
        var results = new int[queries][];
        Warm(q => peer.Search(copies[q % queries], k), queries);
        var latencies = new double[queries];
        var cpuStarted = ThreadCpuTime.Seconds();
        for (var q = 0; q < queries; q++)
        {
            var started = Stopwatch.GetTimestamp();
            results[q] = peer.Search(copies[q], k);
            latencies[q] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        }
        var cpuSeconds = ThreadCpuTime.Seconds() - cpuStarted;
        var recall = Enumerable.Range(0, queries).Average(q => GroundTruth.Recall(results[q], truth[q], k));
        return Row("usearch-hnsw-f32-ip", parameters, data, k, recall, latencies, cpuSeconds, build, memory, memory, false, "native");
    }

    private void Warm(Action<int> search, int queries)
    {
        // Let tiered compilation promote the hot paths before timing; the first method pays for most of it.
        // (The index's hot paths are AggressiveOptimization and skip tiering; this also warms the caches.)
        var rounds = _warm ? 1 : 3;
        for (var r = 0; r < rounds; r++)
        {
            for (var q = 0; q < Math.Min(queries, 30); q++) search(q);
            if (!_warm) Thread.Sleep(200);
        }
        _warm = true;
    }

    private static BenchmarkRow Row(string method, string parameters, SyntheticEmbeddings data, int k, double recall, double[] latencies, double cpuSeconds, double build, double bytes, double memory, bool exact, string simd)
    {
        var sorted = latencies.Order().ToArray();
        return new BenchmarkRow(method, parameters, data.ItemCount, data.Dim, k, Math.Round(recall, 4),
            Math.Round(latencies.Length / (latencies.Sum() / 1000), 1), Math.Round(latencies.Length / Math.Max(cpuSeconds, 1e-9), 1),
            Math.Round(Percentiles.OfSorted(sorted, 0.50), 4), Math.Round(Percentiles.OfSorted(sorted, 0.99), 4),
            Math.Round(build, 3), Math.Round(bytes, 2), Math.Round(memory, 1), latencies.Length, exact, simd);
    }

    /// <summary>
    /// The rows on each method's recall-versus-QPS frontier (a setting that another of the same method beats on both is
    /// left to the JSON), with the speed-up over the exact scan of this run.
    /// </summary>
    private void PrintTable(List<BenchmarkRow> rows, int n, int dim, int k)
    {
        if (rows.Count == 0) return;
        var exactQps = rows.Where(r => r.Method.StartsWith("exact", StringComparison.Ordinal)).Select(r => (double?)r.CpuQps).Max();
        var frontier = rows.Where(r => !rows.Any(o => o.Method == r.Method && o != r && o.Recall >= r.Recall && o.CpuQps > r.CpuQps)).ToList();
        var table = new Table().Title($"n={n:N0}, d={dim}, K={k}, one thread ({rows.Count - frontier.Count} dominated settings in the JSON only)");
        foreach (var column in new[] { "method", "params", "recall", "QPS", "CPU QPS", "x exact (CPU)", "p50 ms", "p99 ms", "build s", "B/vec", "exact scores" })
            table.AddColumn(column);
        foreach (var r in frontier)
        {
            table.AddRow(Markup.Escape(r.Method), Markup.Escape(r.Params), r.Recall.ToString("F4", CultureInfo.InvariantCulture), r.Qps.ToString("F0", CultureInfo.InvariantCulture),
                r.CpuQps.ToString("F0", CultureInfo.InvariantCulture), exactQps is { } e ? (r.CpuQps / e).ToString("F1", CultureInfo.InvariantCulture) : "-",
                r.P50Ms.ToString("F3", CultureInfo.InvariantCulture), r.P99Ms.ToString("F3", CultureInfo.InvariantCulture),
                r.BuildSeconds.ToString("F2", CultureInfo.InvariantCulture), r.BytesPerVector.ToString("F1", CultureInfo.InvariantCulture),
                r.Method.StartsWith("usearch", StringComparison.Ordinal) ? "n/a" : r.ScoresExact ? "yes" : "NO");
        }
        console.Write(table);
    }

    private void PrintFaissTable(List<FaissComparison> comparisons, int n, int dim)
    {
        var table = new Table().Title($"n={n:N0}, d={dim}: best speed-up over the exact scan of this run at a recall floor, against FAISS 1.12 (AVX2, one thread, issue 12)");
        foreach (var column in new[] { "K", "recall ≥", "ours: method", "params", "recall", "CPU QPS", "x exact", "FAISS x exact", "met" })
            table.AddColumn(column);
        foreach (var c in comparisons)
        {
            table.AddRow(c.K.ToString(CultureInfo.InvariantCulture), c.RecallAtLeast.ToString("F2", CultureInfo.InvariantCulture),
                Markup.Escape(c.Method ?? "none reached it"), Markup.Escape(c.Params ?? ""),
                c.Recall?.ToString("F4", CultureInfo.InvariantCulture) ?? "-", c.CpuQps?.ToString("F0", CultureInfo.InvariantCulture) ?? "-",
                c.Multiple?.ToString("F1", CultureInfo.InvariantCulture) ?? "-", c.FaissMultiple.ToString("F0", CultureInfo.InvariantCulture), c.Met ? "yes" : "no");
        }
        console.Write(table);
    }
}

/// <summary>Everything one run measured.</summary>
public sealed record IndexBenchmarkResult(List<BenchmarkRow> Rows, List<FaissComparison> Faiss, List<AutoBuild> AutoBuilds);

/// <summary>What <c>auto</c> built for one dataset: the spec, and the probe calibration that chose it (null when none ran).</summary>
public sealed record AutoBuild(int N, int Dim, string Data, string Spec, double BuildSeconds, int? CalibratedProbe, double? CalibrationRecall,
    double? CalibrationSeconds, List<CalibrationStep>? Tried);

/// <summary>One probe the calibration tried and the recall@10 it measured on the shard's own (noised) rows.</summary>
public sealed record CalibrationStep(int Probe, double Recall);
