using System.Globalization;
using System.Text.Json.Nodes;
using MovieRecommender.Artifacts;
using MovieRecommender.Benchmarks.Publish;
using MovieRecommender.Benchmarks.Telemetry;
using MovieRecommender.CommandLine;
using Spectre.Console;

namespace MovieRecommender.Benchmarks.Http;

/// <summary>Runs <see cref="HttpBenchmarkCommand"/>: per catalogue, one silo process, the two doors up one concurrency ladder; table and JSON.</summary>
public sealed class HttpBenchmarkRunner(HttpBenchSettings s, IAnsiConsole console)
{
    // JIT, Kestrel's and the gateway's connections, every user grain activated and its profile cached.
    private const double WarmupSeconds = 10;
    private BenchTools _tools = null!;

    public async Task RunAsync(string jsonPath, CancellationToken ct)
    {
        BenchTools.ScrubOtelEnvironment();
        _tools = await BenchTools.PrepareAsync(s.Build, ct);
        Directory.CreateDirectory(s.OutRoot);
        var ml100k = s.Artifact is { } given ? Path.GetFullPath(given) : await TrainedArtifactAsync(ct);
        await MeasureAsync("ml-100k", ml100k, shards: null, userCount: 943, jsonPath, ct);

        if (s.Movies > 0)
        {
            (string Folder, bool Reused) made = ("", false);
            await console.Status().StartAsync($"Generating {s.Movies:N0} movies and {s.Users:N0} users x {s.Dim} ...",
                _ => { made = GeneratedArtifact.Ensure(s.OutRoot, s.Movies, s.Users, s.Dim, seed: 42, reuse: true, SyntheticData.Clustered); return Task.CompletedTask; });
            console.MarkupLineInterpolated($"{(made.Reused ? "Reusing" : "Generated")} {made.Folder}.");
            var name = s.Movies % 1_000_000 == 0 ? $"{s.Movies / 1_000_000}m" : s.Movies % 1000 == 0 ? $"{s.Movies / 1000}k" : s.Movies.ToString(CultureInfo.InvariantCulture);
            await MeasureAsync(name, made.Folder, s.Shards, s.Users,
                Path.Combine(Path.GetDirectoryName(jsonPath)!, $"http-{name}.json"), ct);
        }
    }

    /// <summary>ML-100K trained once into --out and reused by later runs (the figures measured here do not depend on the model's quality).</summary>
    private async Task<string> TrainedArtifactAsync(CancellationToken ct)
    {
        var outRoot = Path.Combine(s.OutRoot, "http-ml100k");
        var existing = Directory.Exists(outRoot)
            ? Directory.EnumerateDirectories(outRoot).Where(d => File.Exists(Path.Combine(d, ModelManifest.FileName))).OrderDescending(StringComparer.Ordinal).FirstOrDefault()
            : null;
        if (existing is not null)
        {
            console.MarkupLineInterpolated($"Reusing the ML-100K artifact {existing}.");
            return existing;
        }
        if (!Directory.Exists(s.Data))
            throw new UserFacingException($"no MovieLens 100K at {s.Data}: pass --data DIR (or set MOVIELENS_DIR), or --artifact DIR.");
        ChildResult train = null!;
        await console.Status().StartAsync($"Training on {s.Data} (once; kept under {outRoot}) ...", async _ =>
            train = await ChildProcess.RunAsync(ChildProcess.DotnetHost(), [_tools.TrainerDll, "train", "--data", s.Data, "--out", outRoot, "--threads", "2"], _tools.Root, null, ct));
        if (train.ExitCode != 0) throw new UserFacingException($"training failed (exit {train.ExitCode}): {train.Tail()}");
        return train.LastLine;
    }

    private async Task MeasureAsync(string catalogue, string artifactDir, int? shards, int userCount, string jsonPath, CancellationToken ct)
    {
        // Both doors ask for the same users: all of them up to MaxUsersAsked, else that many spread evenly over the ids.
        var asked = Math.Min(userCount, HttpBenchSettings.MaxUsersAsked);
        var userIds = Enumerable.Range(0, asked).Select(i => (1 + (long)i * userCount / asked).ToString(CultureInfo.InvariantCulture)).ToArray();
        var users = Path.Combine(s.OutRoot, $"http-bench-users-{catalogue}-{Environment.ProcessId}.txt");
        await File.WriteAllLinesAsync(users, userIds, ct);
        var loadAtStart = ProcessStats.LoadAverage();
        var startedUtc = DateTime.UtcNow;
        var manifest = ModelArtifact.Load(artifactDir).Manifest;
        var store = Path.Combine(s.OutRoot, $"http-store-{catalogue}-{DateTime.UtcNow:yyyyMMdd-HHmmss}-{Environment.ProcessId}");
        await using var silo = await SiloProcess.StartAsync(store, siloDll: _tools.SiloDll, name: $"the {catalogue} silo", readyTimeout: TimeSpan.FromSeconds(180), ct: ct);
        try
        {
            var publishArgs = new List<string> { _tools.ClientDll, "publish", artifactDir };
            if (shards is { } n) publishArgs.AddRange(["--shards", n.ToString(CultureInfo.InvariantCulture), "--user-shards", n.ToString(CultureInfo.InvariantCulture)]);
            var publish = await ChildProcess.RunAsync(ChildProcess.DotnetHost(), publishArgs, _tools.Root, GatewayEnv(silo), ct);
            if (publish.ExitCode != 0) throw new UserFacingException($"publishing {catalogue} failed (exit {publish.ExitCode}): {publish.Tail()}\n{silo.Program.Tail(10)}");
            console.MarkupLineInterpolated($"[bold]{catalogue}[/]: silo pid {silo.ProcessId}, HTTP {silo.HttpAddress}, gateway {silo.GatewayPort}; {manifest.Version} published in {publish.WallSeconds:F1} s.");

            var runs = new List<HttpLoadRun>();
            var doors = new[] { HttpLoadRun.HttpDoor, HttpLoadRun.OrleansDoor };
            var ladder = s.Concurrency;
            var warmConcurrency = ladder[ladder.Length / 2];
            foreach (var door in doors)
            {
                var warm = await RunDoorAsync(door, catalogue, silo, users, warmConcurrency, WarmupSeconds, 0, ct);
                console.MarkupLineInterpolated($"  warm-up {door}: {warmConcurrency} at a time, {BenchTools.F(warm.AchievedRps)} req/s, p99 {BenchTools.F(warm.P99Ms)} ms, {warm.Failures} failures.");
            }

            // A door stops climbing once it misses: more requests at a time only queue longer.
            var missedAt = doors.ToDictionary(d => d, _ => (int?)null);
            for (var i = 0; i < ladder.Length; i++)
            {
                var order = (i % 2 == 0 ? doors : doors.Reverse()).Where(d => missedAt[d] is null).ToArray();
                if (order.Length == 0) break;
                foreach (var door in order)
                {
                    HttpLoadRun run = null!;
                    for (var attempt = 1; attempt <= 2; attempt++)
                    {
                        run = await RunDoorAsync(door, catalogue, silo, users, ladder[i], s.Duration, attempt, ct);
                        runs.Add(run);
                        console.MarkupLine(Markup.Escape($"  {ladder[i],5} at a time  {door,-7}  {BenchTools.F(run.AchievedRps),8} req/s  p50 {BenchTools.F(run.P50Ms, "F2")}  p99 {BenchTools.F(run.P99Ms, "F2")} ms  failures {run.Failures}  silo CPU {BenchTools.F(run.SiloCpuMsPerRequest, "F3")} ms/req -> ")
                            + (run.Sustained ? "[green]sustained[/]" : $"[red]missed[/] ({Markup.Escape(run.Miss ?? "")})"));
                        if (run.Sustained) break;
                    }
                    if (!run.Sustained) missedAt[door] = ladder[i];
                }
            }

            var report = Report(catalogue, manifest, artifactDir, shards, $"{asked} of {userCount} users, ids {string.Join(", ", userIds.Take(3))}, ...", runs, missedAt, silo, startedUtc, loadAtStart, ProcessStats.LoadAverage(),
                await RepositoryRoot.CommitAsync(_tools.Root, ct));
            await BenchmarkReport.WriteAsync(jsonPath, report, ct);
        }
        finally
        {
            try { Directory.Delete(store, true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
            try { File.Delete(users); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }

    private async Task<HttpLoadRun> RunDoorAsync(string door, string catalogue, SiloProcess silo, string users, int concurrency, double seconds, int attempt, CancellationToken ct)
    {
        var load = ProcessStats.LoadAverage();
        var cpuBefore = silo.Program.CpuSeconds();
        var (result, parsed) = door == HttpLoadRun.HttpDoor
            ? await AutocannonAsync(silo, users, concurrency, seconds, ct)
            : await OrleansLoadAsync(silo, users, concurrency, seconds, ct);
        var siloCpu = silo.Program.CpuSeconds() - cpuBefore;
        if (silo.HasExited) throw new UserFacingException($"the {catalogue} silo exited; its last output:\n{silo.Program.Tail(10)}");
        if (parsed is null)
            return new HttpLoadRun(door, catalogue, concurrency, attempt, false, $"no report (exit {result.ExitCode}): {result.Tail()}", null, 0, 0, null, null, null, null, null, load);
        var (achieved, requests, failures, p50, p90, p99, max) = parsed.Value;
        string? miss = failures > 0 ? $"{failures} failed"
            : achieved is not > 0 ? "nothing answered"
            : p99 is null || p99 >= HttpBenchSettings.P99BarMs ? $"p99 {BenchTools.F(p99)} >= {HttpBenchSettings.P99BarMs} ms"
            : null;
        return new HttpLoadRun(door, catalogue, concurrency, attempt, miss is null, miss, achieved, requests, failures, p50, p90, p99, max,
            siloCpu is { } c && requests > 0 ? c * 1000 / requests : null, load);
    }

    private record struct Parsed(double? Achieved, long Requests, long Failures, double? P50, double? P90, double? P99, double? Max);

    /// <summary>autocannon, closed loop: <paramref name="connections"/> keep-alive connections, each sending its next request when answered.</summary>
    private async Task<(ChildResult, Parsed?)> AutocannonAsync(SiloProcess silo, string users, int connections, double seconds, CancellationToken ct)
    {
        var driver = Path.Combine(_tools.Root, "bench", "Benchmarks", "Http", "autocannon-driver.js");
        var result = await ChildProcess.RunAsync("node",
        [
            driver, "--autocannon", s.Autocannon, "--url", silo.HttpAddress.ToString().TrimEnd('/'), "--users-file", users, "--k", "10",
            "--duration", seconds.ToString(CultureInfo.InvariantCulture),
            "--connections", connections.ToString(CultureInfo.InvariantCulture),
        ], _tools.Root, null, ct);
        if (result.ExitCode != 0 || result.LastLine is not { Length: > 0 } line || !line.StartsWith('{')) return (result, null);
        var json = JsonNode.Parse(line)!;
        double? D(JsonNode? n) => n?.GetValue<double>();
        var ok = (long)(D(json["2xx"]) ?? 0);
        var failures = (long)((D(json["non2xx"]) ?? 0) + (D(json["errors"]) ?? 0) + (D(json["timeouts"]) ?? 0));
        var elapsed = D(json["duration"]) ?? seconds;
        var latency = json["latency"];
        return (result, new Parsed(ok / elapsed, ok + failures, failures, D(latency?["p50"]), D(latency?["p90"]), D(latency?["p99"]), D(latency?["max"])));
    }

    /// <summary>The console's load generator through the silo's gateway, closed loop: <paramref name="callers"/> callers.</summary>
    private async Task<(ChildResult, Parsed?)> OrleansLoadAsync(SiloProcess silo, string users, int callers, double seconds, CancellationToken ct)
    {
        var file = Path.Combine(s.OutRoot, $"http-bench-orleans-load-{Environment.ProcessId}.json");
        File.Delete(file);
        var result = await ChildProcess.RunAsync(ChildProcess.DotnetHost(),
            [_tools.ClientDll, "load", "--callers", callers.ToString(CultureInfo.InvariantCulture), "--duration", seconds.ToString(CultureInfo.InvariantCulture),
             "--users", users, "--quiet", "--json", file], _tools.Root, GatewayEnv(silo), ct);
        if (!File.Exists(file)) return (result, null);
        var json = JsonNode.Parse(await File.ReadAllTextAsync(file, ct))!;
        double? D(string key) => json[key]?.GetValue<double>();
        return (result, new Parsed(D("achievedRps"), json["requests"]?.GetValue<long>() ?? 0, json["failures"]?.GetValue<long>() ?? 0, D("p50Ms"), D("p90Ms"), D("p99Ms"), D("maxMs")));
    }

    private static Dictionary<string, string> GatewayEnv(SiloProcess silo) =>
        new(StringComparer.Ordinal) { ["Cluster__GatewayPort"] = silo.GatewayPort.ToString(CultureInfo.InvariantCulture) };

    private JsonObject Report(string catalogue, ModelManifest manifest, string artifactDir, int? shards, string usersAsked, List<HttpLoadRun> runs,
        Dictionary<string, int?> missedAt, SiloProcess silo, DateTime startedUtc, double? loadAtStart, double? loadAtEnd, string? commit)
    {
        // A door's highest sustained rate: the most it answered in a run with nothing failed and p99 under the bar.
        HttpLoadRun? Best(string door) => runs.Where(r => r.Door == door && r.Sustained).MaxBy(r => r.AchievedRps);
        var http = Best(HttpLoadRun.HttpDoor);
        var orleans = Best(HttpLoadRun.OrleansDoor);
        double? ratio = http?.AchievedRps is > 0 && orleans?.AchievedRps is { } o ? o / http.AchievedRps : null;
        var verdict = ratio is null ? "not measured (a door sustained no rung)" : ratio <= HttpBenchSettings.TargetRatio ? "PASS" : "FAIL";

        var table = new Table().Title($"{catalogue}: one silo, closed loops at each concurrency, sustained when nothing failed and p99 < {HttpBenchSettings.P99BarMs} ms: HTTP (autocannon) beside the Orleans client").ShowRowSeparators();
        foreach (var column in new[] { "at a time", "door", "try", "req/s", "p50 ms", "p90 ms", "p99 ms", "failed", "silo CPU ms/req", "load avg", "verdict" })
            table.AddColumn(new TableColumn(column).RightAligned());
        foreach (var r in runs)
            table.AddRow(r.Concurrency.ToString(CultureInfo.InvariantCulture), r.Door, r.Attempt.ToString(CultureInfo.InvariantCulture), BenchTools.F(r.AchievedRps),
                BenchTools.F(r.P50Ms, "F2"), BenchTools.F(r.P90Ms, "F2"), BenchTools.F(r.P99Ms, "F2"), r.Failures.ToString(CultureInfo.InvariantCulture),
                BenchTools.F(r.SiloCpuMsPerRequest, "F3"), BenchTools.F(r.LoadAverage, "F2"), r.Sustained ? "[green]ok[/]" : $"[red]miss[/] {Markup.Escape(r.Miss ?? "")}");
        console.Write(table);
        string Said(string door, HttpLoadRun? best) => best is null ? "no sustained run"
            : $"{best.AchievedRps:F0} req/s at {best.Concurrency} at a time (p99 {best.P99Ms:F1} ms){(missedAt[door] is { } m ? $", missed at {m}" : ", never missed")}";
        console.MarkupLineInterpolated($"{catalogue}: HTTP {Said(HttpLoadRun.HttpDoor, http)}; Orleans client {Said(HttpLoadRun.OrleansDoor, orleans)}; Orleans / HTTP = {BenchTools.F(ratio, "F2")} (target <= {HttpBenchSettings.TargetRatio}): {verdict}.");

        var runArray = new JsonArray();
        foreach (var r in runs)
            runArray.Add(new JsonObject
            {
                ["door"] = r.Door, ["concurrency"] = r.Concurrency, ["attempt"] = r.Attempt, ["sustained"] = r.Sustained, ["miss"] = r.Miss,
                ["achievedRps"] = Round(r.AchievedRps), ["requests"] = r.Requests, ["failures"] = r.Failures,
                ["p50Ms"] = Round(r.P50Ms), ["p90Ms"] = Round(r.P90Ms), ["p99Ms"] = Round(r.P99Ms), ["maxMs"] = Round(r.MaxMs),
                ["siloCpuMsPerRequest"] = Round(r.SiloCpuMsPerRequest, 4), ["loadAverage"] = r.LoadAverage,
            });
        JsonObject? Highest(HttpLoadRun? best) => best is null ? null
            : new JsonObject { ["rps"] = Round(best.AchievedRps), ["concurrency"] = best.Concurrency, ["p99Ms"] = Round(best.P99Ms) };
        var autocannonVersion = JsonNode.Parse(File.ReadAllText(Path.Combine(s.Autocannon, "node_modules", "autocannon", "package.json")))?["version"]?.GetValue<string>();
        return new JsonObject
        {
            ["benchmark"] = "http",
            ["catalogue"] = catalogue,
            ["dataset"] = manifest.Dataset,
            ["version"] = manifest.Version,
            ["artifact"] = artifactDir,
            ["movies"] = manifest.Counts.Items,
            ["users"] = manifest.Counts.Users,
            ["dimension"] = manifest.Dimension,
            ["shards"] = shards,
            ["silos"] = 1,
            ["k"] = 10,
            ["usersAsked"] = usersAsked,
            ["durationSeconds"] = s.Duration,
            ["p99BarMs"] = HttpBenchSettings.P99BarMs,
            ["concurrencyLadder"] = new JsonArray([.. s.Concurrency.Select(c => (JsonNode)c)]),
            ["httpTool"] = $"autocannon {autocannonVersion} (npm), bench/Benchmarks/Http/autocannon-driver.js, closed loop (--connections, no --overallRate)",
            ["orleansTool"] = "recommender load --callers (src/Operations/Load), one Orleans client, closed loop",
            ["latencyNote"] = "Both doors are closed loops timed from when a request is sent. autocannon's --overallRate is not used: it sends each connection's quota for a second back to back when the second starts (lib/httpClient.js), one burst a second.",
            ["highestSustained"] = new JsonObject { ["http"] = Highest(http), ["orleans"] = Highest(orleans) },
            ["firstMissedConcurrency"] = new JsonObject { ["http"] = missedAt[HttpLoadRun.HttpDoor], ["orleans"] = missedAt[HttpLoadRun.OrleansDoor] },
            ["orleansOverHttp"] = Round(ratio, 3),
            ["targetOrleansOverHttpAtMost"] = HttpBenchSettings.TargetRatio,
            ["verdict"] = verdict,
            ["siloPeakRssMb"] = silo.Program.PeakRssBytes() is { } rss ? Math.Round(rss / 1e6, 1) : null,
            ["machine"] = BenchmarkReport.Machine(loadAtStart, loadAtEnd),
            ["commit"] = commit,
            ["startedUtc"] = startedUtc.ToString("O", CultureInfo.InvariantCulture),
            ["runs"] = runArray,
        };
    }

    private static double? Round(double? value, int digits = 2) => value is { } v ? Math.Round(v, digits) : null;
}
