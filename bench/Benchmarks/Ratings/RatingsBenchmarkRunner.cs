using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using MovieRecommender.Artifacts;
using MovieRecommender.Benchmarks.Publish;
using MovieRecommender.Benchmarks.Telemetry;
using MovieRecommender.CommandLine;
using Spectre.Console;

namespace MovieRecommender.Benchmarks.Ratings;

/// <summary>
/// Runs <see cref="RatingsBenchmarkCommand"/>: the generated catalogue, the store, one silo process with it published,
/// the load (a line a window), the store's size, export-ratings, then the verdict's table, the JSON and the SVG.
/// </summary>
public sealed class RatingsBenchmarkRunner(RatingsSettings s, string root, IAnsiConsole console)
{
    private const int Seed = 42;

    public async Task RunAsync(string jsonPath, CancellationToken ct)
    {
        BenchTools.ScrubOtelEnvironment();
        var siloDll = await BenchmarkReport.EnsureBuiltAsync(root, "Silo", "the silo", s.Build, console, ct);
        var clientDll = await BenchmarkReport.EnsureBuiltAsync(root, "Client", "the console", s.Build, console, ct);
        Directory.CreateDirectory(s.OutRoot);
        var startedUtc = DateTime.UtcNow;
        var loadAtStart = ProcessStats.LoadAverage();

        (string Folder, bool Reused) made = ("", false);
        var generating = Stopwatch.StartNew();
        await console.Status().StartAsync($"Generating {s.Movies:N0} movies and {s.Users:N0} users x {s.Dim} ...",
            _ => { made = GeneratedArtifact.Ensure(s.OutRoot, s.Movies, s.Users, s.Dim, Seed, reuse: true, SyntheticData.Clustered); return Task.CompletedTask; });
        var generateSeconds = made.Reused ? (double?)null : generating.Elapsed.TotalSeconds;
        var artifact = ModelArtifact.Load(made.Folder);
        console.MarkupLineInterpolated($"{(made.Reused ? "Reusing" : "Generated")} {made.Folder}.");

        var kind = s.Store.ToString().ToLowerInvariant();
        var folder = Path.Combine(s.OutRoot, $"ratings-store-{kind}-{DateTime.UtcNow:yyyyMMdd-HHmmss}-{Environment.ProcessId}");
        var exportFile = Path.Combine(s.OutRoot, $"ratings-export-{Environment.ProcessId}.csv");
        try
        {
            await using var store = await RatingsStore.StartAsync(s.Store, folder, ct);
            await using var silo = await SiloProcess.StartAsync(folder, settings: store.SiloSettings(), siloDll: siloDll, name: $"the {kind}-store silo",
                readyTimeout: TimeSpan.FromSeconds(180), withoutInheritedOtel: true, ct: ct);
            var clientEnv = store.ClientEnvironment(silo.GatewayPort);
            var publish = await ChildProcess.RunAsync(ChildProcess.DotnetHost(), [clientDll, "publish", made.Folder], root, clientEnv, ct, withoutInheritedOtel: true);
            if (publish.ExitCode != 0) throw new UserFacingException($"publishing failed (exit {publish.ExitCode}): {publish.Tail()}\n{silo.Program.Tail(10)}");
            console.MarkupLineInterpolated($"[bold]{kind} store[/]: silo pid {silo.ProcessId}, HTTP {silo.HttpAddress}; {artifact.Manifest.Version} published in {publish.WallSeconds:F1} s. Posting {s.Ratings:N0} ratings ({s.Warmup:N0} of them a warm-up) over {s.Connections} connections ...");

            var cpuBefore = silo.Program.CpuSeconds();
            var load = await RatingsLoad.RunAsync(root, s, silo.HttpAddress, PrintWindow, ct);
            var siloCpu = silo.Program.CpuSeconds() - cpuBefore;
            load = load with { SiloCpuSeconds = siloCpu };
            if (silo.HasExited) throw new UserFacingException($"the silo exited; its last output:\n{silo.Program.Tail(10)}");
            console.MarkupLineInterpolated($"Load done: {load.AcknowledgedInAll:N0} acknowledged ({load.Posted:N0} posted), {load.Failed} failed, {load.RatePerSecond:F0}/s over {load.Seconds:F0} s after the warm-up{(load.StoppedShort ? $" [red](stopped at --max-minutes {s.MaxMinutes})[/]" : "")}.");

            var size = await store.SizeAsync(ct);
            RatingsExportResult export = null!;
            await console.Status().StartAsync("export-ratings ...", async _ => export = await RatingsExport.RunAsync(root, clientDll, clientEnv, exportFile, ct));
            var siloRss = silo.Program.PeakRssBytes();
            var siloProblems = silo.Program.Problems;

            var verdict = RatingsVerdict.Of(load, export, s.Targets);
            Show(load, export, verdict, size);
            var report = await ReportAsync(jsonPath, artifact, made, generateSeconds, publish.WallSeconds, load, export, verdict, size, siloRss, siloProblems,
                startedUtc, loadAtStart, ct);
            await BenchmarkReport.WriteAsync(jsonPath, report, ct);
            var svg = Path.ChangeExtension(jsonPath, ".svg");
            await File.WriteAllTextAsync(svg, RatingsPlot.ToSvg(kind, load.Windows, s.Targets), ct);
            console.MarkupLineInterpolated($"Wrote [bold]{svg}[/].");
        }
        finally
        {
            try { File.Delete(exportFile); } catch (IOException) { } catch (UnauthorizedAccessException) { }
            if (!s.KeepStore)
                try { Directory.Delete(folder, true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }

    private void PrintWindow(RatingsWindow w) =>
        console.MarkupLine(Markup.Escape(string.Create(CultureInfo.InvariantCulture,
            $"  {w.EndSeconds,7:F0} s  {w.RatePerSecond,8:F0} ratings/s  p50 {BenchTools.F(w.P50Ms, "F1"),7}  p99 {BenchTools.F(w.P99Ms, "F1"),7} ms  failed {w.Non2xx + w.Errors}  in the log {w.AcknowledgedSoFar:N0}")));

    private void Show(RatingsLoadResult load, RatingsExportResult export, RatingsVerdict verdict, JsonObject size)
    {
        // A row a minute: a long run's windows would not fit on a screen.
        var minutes = new Table().Title($"{s.Store.ToString().ToLowerInvariant()} store, one silo: ratings over HTTP (autocannon, {s.Connections} connections, closed loop), by minute").ShowRowSeparators();
        foreach (var column in new[] { "minute", "ratings/s", "p50 ms (median window)", "p99 ms (worst window)", "failed", "in the log at its end" })
            minutes.AddColumn(new TableColumn(column).RightAligned());
        foreach (var minute in load.Windows.Where(w => w.Seconds > 0).GroupBy(w => (int)(w.StartSeconds / 60)))
        {
            var list = minute.ToList();
            var seconds = list.Sum(w => w.Seconds);
            var p50s = list.Select(w => w.P50Ms).Where(p => p is not null).Order().ToList();
            minutes.AddRow((minute.Key + 1).ToString(CultureInfo.InvariantCulture), BenchTools.F(seconds > 0 ? list.Sum(w => w.Acknowledged) / seconds : null, "F0"),
                BenchTools.F(p50s.Count > 0 ? p50s[p50s.Count / 2] : null), BenchTools.F(list.Max(w => w.P99Ms)),
                list.Sum(w => w.Non2xx + w.Errors).ToString(CultureInfo.InvariantCulture), list[^1].AcknowledgedSoFar.ToString("N0", CultureInfo.InvariantCulture));
        }
        console.Write(minutes);

        var checks = new Table().Title("Against the targets of issue 24").ShowRowSeparators();
        foreach (var column in new[] { "what", "target", "measured", "verdict" }) checks.AddColumn(column);
        foreach (var c in verdict.Checks)
            checks.AddRow(Markup.Escape(c.Name), Markup.Escape(c.Target), Markup.Escape(c.Measured), c.Met ? "[green]pass[/]" : "[red]miss[/]");
        console.Write(checks);
        var bytes = size["folderBytes"]?.GetValue<long>() ?? 0;
        var redis = size["redisUsedMemoryBytes"]?.GetValue<long>() is { } used ? $", Redis used_memory {used / 1e6:F1} MB" : "";
        console.MarkupLineInterpolated($"Store folder {bytes / 1e6:F1} MB{redis}; export {export.Rows:N0} rows, {export.FileBytes / 1e6:F1} MB in {export.Seconds:F1} s, peak RSS {BenchTools.F(export.PeakRssBytes / 1e6, "F0")} MB; silo CPU {BenchTools.F(load.SiloCpuSeconds is { } cpu && load.Acknowledged > 0 ? cpu * 1000 / (load.Acknowledged + load.WarmupAcknowledged) : null, "F2")} ms a rating. CPU: {MachineDescription.CpuModel()}, {BenchTools.SimdPath()}.");
    }

    private async Task<JsonObject> ReportAsync(string jsonPath, ModelArtifact artifact, (string Folder, bool Reused) made, double? generateSeconds, double publishSeconds,
        RatingsLoadResult load, RatingsExportResult export, RatingsVerdict verdict, JsonObject size, long? siloPeakRss, IReadOnlyList<string> siloProblems,
        DateTime startedUtc, double? loadAtStart, CancellationToken ct)
    {
        static double? R(double? value, int digits = 2) => value is { } v ? Math.Round(v, digits) : null;
        var t = s.Targets;
        var report = await BenchmarkReport.HeadAsync("ratings", Path.GetFileNameWithoutExtension(jsonPath), startedUtc, root, ct);
        var autocannonVersion = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(s.Autocannon, "node_modules", "autocannon", "package.json"), ct))?["version"]?.GetValue<string>();
        report["machine"] = BenchmarkReport.Machine(loadAtStart, ProcessStats.LoadAverage());
        report["store"] = size;
        report["silos"] = 1;
        report["artifact"] = GeneratedArtifact.Describe(made.Folder, artifact, s.Movies, s.Users, s.Dim, SyntheticData.Clustered, Seed, made.Reused, generateSeconds, null);
        report["publishSeconds"] = R(publishSeconds, 1);
        report["load"] = new JsonObject
        {
            ["tool"] = $"autocannon {autocannonVersion} (npm), bench/Benchmarks/Ratings/ratings-driver.js, closed loop (--connections, no --overallRate)",
            ["route"] = "POST /v1/users/{id}/ratings {\"movieId\": \"M\", \"rating\": R}",
            ["ratingsAsked"] = s.Ratings,
            ["warmup"] = s.Warmup,
            ["connections"] = s.Connections,
            ["windowSeconds"] = s.WindowSeconds,
            ["maxMinutes"] = s.MaxMinutes,
            ["ratingsNote"] = "Rating g goes to user 1 + g mod users and movie 1 + (g / users + 7919 * user) mod movies, 0.5 to 5 stars: every (user, movie) pair once.",
        };
        report["targets"] = new JsonObject
        {
            ["ratePerSecond"] = t.RatePerSecond, ["logSize"] = t.LogSize, ["lastOverFirstMinute"] = t.LastOverFirstMinute, ["p99Ms"] = t.P99Ms,
            ["exportSeconds"] = t.ExportSeconds, ["exportPeakRssMb"] = t.ExportPeakRssMb, ["exportTargetsSetForLogSize"] = RatingsTargets.ExportLogSize,
        };
        report["result"] = new JsonObject
        {
            ["posted"] = load.Posted,
            ["acknowledged"] = load.AcknowledgedInAll,
            ["acknowledgedAfterWarmup"] = load.Acknowledged,
            ["warmupAcknowledged"] = load.WarmupAcknowledged,
            ["warmupSeconds"] = R(load.WarmupSeconds),
            ["non2xx"] = load.Non2xx, ["errors"] = load.Errors, ["timeouts"] = load.Timeouts, ["warmupFailed"] = load.WarmupFailed,
            ["non2xxStatusCodes"] = new JsonObject([.. load.StatusCodes.Select(p => KeyValuePair.Create(p.Key, (JsonNode?)p.Value))]),
            ["firstError"] = load.FirstError,
            ["seconds"] = R(load.Seconds),
            ["stoppedShort"] = load.StoppedShort,
            ["ratePerSecond"] = R(verdict.SustainedRate, 1),
            ["firstMinuteRate"] = R(verdict.FirstMinuteRate, 1),
            ["lastMinuteRate"] = R(verdict.LastMinuteRate, 1),
            ["lastOverFirstMinute"] = R(verdict.LastOverFirst, 3),
            ["minutesOverlap"] = verdict.MinutesOverlap,
            ["p50Ms"] = R(load.P50Ms), ["p90Ms"] = R(load.P90Ms), ["p99Ms"] = R(load.P99Ms), ["maxMs"] = R(load.MaxMs),
            ["worstWindowP99Ms"] = R(verdict.WorstWindowP99Ms),
            ["windowsAtOrOverP99"] = verdict.WindowsOverP99,
            ["siloCpuSeconds"] = R(load.SiloCpuSeconds),
            ["siloCpuMsPerRating"] = load.SiloCpuSeconds is { } c && load.AcknowledgedInAll > 0 ? R(c * 1000 / load.AcknowledgedInAll, 3) : null,
            ["siloPeakRssMb"] = siloPeakRss is { } rss ? Math.Round(rss / 1e6, 1) : null,
            ["siloWarningsAndErrors"] = new JsonArray([.. siloProblems.Select(p => (JsonNode)p)]),
        };
        report["log"] = new JsonObject
        {
            ["exportedRows"] = export.Rows,
            ["exportFileBytes"] = export.FileBytes,
            ["exportSeconds"] = R(export.Seconds),
            ["exportPeakRssMb"] = export.PeakRssBytes is { } peak ? Math.Round(peak / 1e6, 1) : null,
            ["exportPeakRssSource"] = export.PeakRssSource,
            ["exportCommand"] = "recommender export-ratings --out FILE (src/Client, its own process)",
        };
        report["verdict"] = verdict.AllMet ? "PASS" : "MISS";
        report["checks"] = new JsonArray([.. verdict.Checks.Select(c => (JsonNode)new JsonObject
        {
            ["name"] = c.Name, ["target"] = c.Target, ["measured"] = c.Measured, ["met"] = c.Met,
        })]);
        report["plot"] = Path.ChangeExtension(jsonPath, ".svg");
        report["windows"] = new JsonArray([.. load.Windows.Select(w => (JsonNode)new JsonObject
        {
            ["startSeconds"] = w.StartSeconds, ["seconds"] = w.Seconds, ["acknowledged"] = w.Acknowledged, ["ratePerSecond"] = R(w.RatePerSecond, 1),
            ["non2xx"] = w.Non2xx, ["errors"] = w.Errors, ["timeouts"] = w.Timeouts,
            ["p50Ms"] = w.P50Ms, ["p99Ms"] = w.P99Ms, ["maxMs"] = w.MaxMs, ["inLog"] = w.AcknowledgedSoFar,
        })]);
        return report;
    }
}
