using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using MovieRecommender.Artifacts;
using MovieRecommender.CommandLine;
using Spectre.Console;

namespace MovieRecommender.Benchmarks.Telemetry;

/// <summary>
/// <c>telemetry-overhead</c>: the highest sustained recommendation rate of one silo (the embedded default) with
/// telemetry exporting over OTLP (silo and load generator, to the dashboard) against the same without an OTLP endpoint,
/// in one run. Two real silo processes serve the same artifact side by side (one per arm, the idle one waiting); the
/// real load generator (<c>client load</c>, a process of its own per run) climbs a ladder of rates, the two arms
/// alternating at every rung (ABBA order) so the machine's noise hits both alike, then bisects each arm's last
/// pass / first miss. A run is sustained when the achieved rate is at least 98% of the target, nothing failed and
/// p99 is under the bar; a rung that misses is run once more before it counts as missed (for both arms alike).
/// CPU seconds of the silo, the load generator and the receiver are measured per run, so the CPU cost per request
/// at the rates both arms sustain is reported beside the rates.
/// </summary>
public static class TelemetryOverheadCommand
{
    public const string Without = "without";
    public const string With = "with";

    public static Command Create()
    {
        var artifact = new Option<string?>("--artifact") { Description = "The ML-100K artifact folder (what 'train' printed on its last line)." }.ExistingFolder();
        var data = new Option<string?>("--data") { Description = "Without --artifact: train one first on this MovieLens folder (e.g. ../shared/data/ml-100k)." }.ExistingFolder();
        var rates = new Option<string?>("--rates") { Description = "The ladder, comma-separated requests/s (default: from --start-rps times --factor up to --max-rps)." };
        var startRps = new Option<double>("--start-rps") { Description = "First rung of the generated ladder.", DefaultValueFactory = _ => 1000 }.Number(min: 0, max: 10_000_000, above: true);
        var factor = new Option<double>("--factor") { Description = "Each rung is the previous times this.", DefaultValueFactory = _ => 1.25 }.Number(min: 1, max: 100, above: true);
        var maxRps = new Option<double>("--max-rps") { Description = "Last rung at most.", DefaultValueFactory = _ => 40000 }.Number(min: 0, max: 10_000_000, above: true);
        var refine = new Option<int>("--refine") { Description = "Bisection steps per arm between its last pass and first miss.", DefaultValueFactory = _ => 3 }.Integer(min: 0, max: 100);
        var duration = new Option<double>("--duration") { Description = "Seconds of load per run.", DefaultValueFactory = _ => 10 }.Number(min: 0, max: 86_400, above: true);
        var p99Bar = new Option<double>("--p99-ms") { Description = "Sustained only with p99 under this (ms).", DefaultValueFactory = _ => 50 }.Number(min: 0, max: 1_000_000, above: true);
        var minAchieved = new Option<double>("--min-achieved") { Description = "Sustained only when achieved >= this share of the target rate.", DefaultValueFactory = _ => 0.98 }.Number(min: 0, max: 1);
        var retryMiss = new Option<int>("--retry-miss") { Description = "Runs again a rung that missed this many times before it counts as missed.", DefaultValueFactory = _ => 1 }.Integer(min: 0, max: 100);
        var warmup = new Option<double>("--warmup-seconds") { Description = "Warm-up load per silo before the ladder (at 20% of the first rung).", DefaultValueFactory = _ => 8 }.Number(min: 0, max: 3600);
        var users = new Option<string>("--users") { Description = "Users the load asks for (client load --users).", DefaultValueFactory = _ => "1-943" };
        var shards = new Option<int?>("--shards") { Description = "Candidate and user shards of the publish (default: the product's)." }.Integer(min: 1, max: 4096);
        var share = new Option<double?>("--served-recall-share") { Description = "Telemetry:ServedRecall:Share of both silos (default: the silo's own default)." }.Number(min: 0, max: 1);
        var withoutShare = new Option<double?>("--without-share") { Description = "Telemetry:ServedRecall:Share of the 'without' silo only (e.g. 0: every telemetry cost off)." }.Number(min: 0, max: 1);
        var endpoint = new Option<string?>("--otlp-endpoint") { Description = "Export here instead of the dashboard (scripts/dashboard.sh)." };
        var protocol = new Option<string?>("--otlp-protocol") { Description = "OTEL_EXPORTER_OTLP_PROTOCOL for the 'with' arm (default: the dashboard's, grpc)." };
        var headers = new Option<string?>("--otlp-headers") { Description = "OTEL_EXPORTER_OTLP_HEADERS for the 'with' arm (default: the dashboard's API key)." };
        var interval = new Option<int?>("--metric-interval-ms") { Description = "OTEL_METRIC_EXPORT_INTERVAL for the 'with' arm (default: the dashboard script's, 5000)." }.Integer(min: 1);
        var json = new Option<string?>("--json") { Description = "JSON output (default bench/results/telemetry-overhead-NAME.json)." }.FileToWrite();
        var name = new Option<string?>("--name") { Description = "Result name (default: the artifact's dataset)." };
        var build = new Option<bool>("--build") { Description = "Build src/Silo, src/Client and src/Trainer (Release) first; by default the existing builds are used." };
        var output = new Option<string?>("--out") { Description = "Work folder: silo stores, load reports, a trained artifact (default: movierecommender-telemetry-bench under the temp folder)." }.FolderToWrite();

        var command = new Command("telemetry-overhead", "Highest sustained recommendation rate of one silo with OpenTelemetry exporting against without, alternating in one run.")
        {
            artifact, data, rates, startRps, factor, maxRps, refine, duration, p99Bar, minAchieved, retryMiss, warmup, users, shards, share, withoutShare,
            endpoint, protocol, headers, interval, json, name, build, output,
        };
        command.SetAction(async (parsed, ct) =>
        {
            var s = new Settings(
                parsed.GetValue(artifact) is { Length: > 0 } a ? Path.GetFullPath(a) : null,
                parsed.GetValue(data) is { Length: > 0 } d ? Path.GetFullPath(d) : null,
                RateLadder.Rungs(parsed.GetValue(rates), parsed.GetValue(startRps), parsed.GetValue(factor), parsed.GetValue(maxRps)),
                parsed.GetValue(refine), parsed.GetValue(duration), parsed.GetValue(p99Bar), parsed.GetValue(minAchieved), parsed.GetValue(retryMiss),
                parsed.GetValue(warmup), parsed.GetValue(users)!, parsed.GetValue(shards), parsed.GetValue(share), parsed.GetValue(withoutShare),
                parsed.GetValue(endpoint), parsed.GetValue(protocol), parsed.GetValue(headers), parsed.GetValue(interval),
                Path.GetFullPath(parsed.GetValue(output) ?? Path.Combine(Path.GetTempPath(), "movierecommender-telemetry-bench")),
                parsed.GetValue(build));
            if (s.Artifact is null && s.Data is null) throw new UserFacingException("pass --artifact DIR (an ML-100K artifact) or --data DIR to train one.");
            if (s.Artifact is { } dir && !File.Exists(Path.Combine(dir, ModelManifest.FileName)))
                throw new UserFacingException($"{dir}: not an artifact folder (no {ModelManifest.FileName}).");
            if (s.Duration <= 0 || s.P99BarMs <= 0 || s.MinAchieved is <= 0 or > 1 || s.Refine < 0 || s.RetryMiss < 0)
                throw new UserFacingException("--duration and --p99-ms must be positive, --min-achieved in (0, 1], --refine and --retry-miss at least 0.");

            if (Console.IsOutputRedirected) AnsiConsole.Profile.Width = 170;
            var result = await RunAsync(s, parsed.GetValue(name), AnsiConsole.Console, ct);
            var root = RepositoryRoot.TryFind()!;
            var jsonPath = Path.GetFullPath(parsed.GetValue(json)
                ?? Path.Combine(root, "bench", "results", $"telemetry-overhead-{result["name"]!.GetValue<string>()}.json"));
            await BenchmarkReport.WriteAsync(jsonPath, result, ct);
            return 0;
        });
        return command;
    }

    private sealed record Settings(
        string? Artifact, string? Data, double[] Rates, int Refine, double Duration, double P99BarMs, double MinAchieved, int RetryMiss,
        double WarmupSeconds, string Users, int? Shards, double? Share, double? WithoutShare,
        string? OtlpEndpoint, string? OtlpProtocol, string? OtlpHeaders, int? MetricIntervalMs, string OutRoot, bool Build);

    /// <summary>One load run of one arm.</summary>
    private sealed record Run(
        string Arm, string Phase, double Rate, int Attempt, bool Pass, string? Miss, double? AchievedRps, long Requests, long Failures,
        double? P50Ms, double? P95Ms, double? P99Ms, double? MaxMs, double? SiloCpuSeconds, double? ClientCpuSeconds, double? ReceiverCpuSeconds,
        double WallSeconds, double? LoadAverage, string StartedUtc)
    {
        public double? SiloCpuMsPerRequest => Requests > 0 && SiloCpuSeconds is { } c ? c * 1000 / Requests : null;
        public double? ClientCpuMsPerRequest => Requests > 0 && ClientCpuSeconds is { } c ? c * 1000 / Requests : null;
        public double? ReceiverCpuMsPerRequest => Requests > 0 && ReceiverCpuSeconds is { } c ? c * 1000 / Requests : null;

        public double? TotalCpuMsPerRequest =>
            SiloCpuMsPerRequest is { } s && ClientCpuMsPerRequest is { } c ? s + c + (ReceiverCpuMsPerRequest ?? 0) : null;

        public JsonObject ToJson() => new()
        {
            ["arm"] = Arm,
            ["phase"] = Phase,
            ["rate"] = Rate,
            ["attempt"] = Attempt,
            ["sustained"] = Pass,
            ["miss"] = Miss,
            ["achievedRps"] = AchievedRps,
            ["requests"] = Requests,
            ["failures"] = Failures,
            ["p50Ms"] = P50Ms,
            ["p95Ms"] = P95Ms,
            ["p99Ms"] = P99Ms,
            ["maxMs"] = MaxMs,
            ["siloCpuSeconds"] = R(SiloCpuSeconds),
            ["clientCpuSeconds"] = R(ClientCpuSeconds),
            ["receiverCpuSeconds"] = R(ReceiverCpuSeconds),
            ["siloCpuMsPerRequest"] = R(SiloCpuMsPerRequest, 4),
            ["clientCpuMsPerRequest"] = R(ClientCpuMsPerRequest, 4),
            ["receiverCpuMsPerRequest"] = R(ReceiverCpuMsPerRequest, 4),
            ["wallSeconds"] = R(WallSeconds),
            ["loadAverageBefore"] = LoadAverage,
            ["startedUtc"] = StartedUtc,
        };
    }

    private sealed class ArmState(string name, SiloProcess silo, IReadOnlyDictionary<string, string> clientEnvironment)
    {
        public string Name { get; } = name;
        public SiloProcess Silo { get; } = silo;
        public IReadOnlyDictionary<string, string> ClientEnvironment { get; } = clientEnvironment;
        public double? Best { get; set; }
        public double? MissedAt { get; set; }
    }

    private static async Task<JsonObject> RunAsync(Settings s, string? name, IAnsiConsole console, CancellationToken ct)
    {
        var loadAtStart = ProcessStats.LoadAverage();
        var startedUtc = DateTime.UtcNow;
        var inherited = BenchTools.ScrubOtelEnvironment();
        if (inherited.Count > 0)
            console.MarkupLineInterpolated($"[grey]Removed {string.Join(", ", inherited.Keys)} from this process's environment: only the 'with' arm exports.[/]");
        var tools = await BenchTools.PrepareAsync(s.Build, ct);
        Directory.CreateDirectory(s.OutRoot);
        var work = Path.Combine(s.OutRoot, $"run-{DateTime.UtcNow:yyyyMMdd-HHmmss}-{Environment.ProcessId}");
        Directory.CreateDirectory(work);

        var artifactDir = s.Artifact ?? await TrainAsync(tools, s.Data!, Path.Combine(s.OutRoot, "models"), console, ct);
        var manifest = ModelManifest.FromJson(await File.ReadAllTextAsync(Path.Combine(artifactDir, ModelManifest.FileName), ct), artifactDir);
        var datasetName = string.Concat(manifest.Dataset.ToLowerInvariant().Where(c => char.IsLetterOrDigit(c) || c == '-'));
        var resultName = name ?? (datasetName.Length > 0 ? datasetName : "artifact");
        console.MarkupLineInterpolated($"Artifact {artifactDir} ({manifest.Dataset}, version {manifest.Version}).");

        await using var receiver = await OtlpReceiver.OpenAsync(tools.Root, s.OtlpEndpoint, s.OtlpProtocol, s.OtlpHeaders, s.MetricIntervalMs, ct);
        console.MarkupLineInterpolated($"OTLP receiver: {receiver.Description}.");

        var shareEnv = new Dictionary<string, string?>(StringComparer.Ordinal);
        if (s.Share is { } share) shareEnv["Telemetry__ServedRecall__Share"] = share.ToString(CultureInfo.InvariantCulture);
        var withoutEnv = new Dictionary<string, string?>(shareEnv, StringComparer.Ordinal);
        if (s.WithoutShare is { } ws) withoutEnv["Telemetry__ServedRecall__Share"] = ws.ToString(CultureInfo.InvariantCulture);
        var withEnv = new Dictionary<string, string?>(shareEnv, StringComparer.Ordinal);
        foreach (var (key, value) in receiver.Environment) withEnv[key] = value;

        ArmState? without = null, with = null;
        try
        {
            var silo = await SiloProcess.StartAsync(Path.Combine(work, "store-without"), environment: withoutEnv, siloDll: tools.SiloDll, name: $"silo '{Without}'", readyTimeout: TimeSpan.FromSeconds(120), ct: ct);
            without = new ArmState(Without, silo, new Dictionary<string, string>());
            silo = await SiloProcess.StartAsync(Path.Combine(work, "store-with"), environment: withEnv, siloDll: tools.SiloDll, name: $"silo '{With}'", readyTimeout: TimeSpan.FromSeconds(120), ct: ct);
            with = new ArmState(With, silo, receiver.Environment);
            var arms = new[] { without, with };
            foreach (var arm in arms)
            {
                var publishArgs = new List<string> { tools.ClientDll, "publish", artifactDir };
                if (s.Shards is { } sh) publishArgs.AddRange(["--shards", sh.ToString(CultureInfo.InvariantCulture), "--user-shards", sh.ToString(CultureInfo.InvariantCulture)]);
                var publish = await ChildProcess.RunAsync(ChildProcess.DotnetHost(), publishArgs, tools.Root, GatewayEnv(arm.Silo), ct);
                if (publish.ExitCode != 0) throw new UserFacingException($"publishing to the '{arm.Name}' silo failed (exit {publish.ExitCode}): {publish.Tail()}");
                console.MarkupLineInterpolated($"Silo '{arm.Name}' pid {arm.Silo.ProcessId} (gateway {arm.Silo.GatewayPort}) serves {manifest.Version}; published in {publish.WallSeconds:F1} s.");
            }

            var runs = new List<Run>();
            // Warm-up: JIT, grain activations, the user-grain caches, the exporters' first batches.
            var warmRate = Math.Max(50, Math.Round(s.Rates[0] * 0.2));
            foreach (var arm in arms)
            {
                var warm = await LoadAsync(tools, arm, receiver, s, warmRate, s.WarmupSeconds, "warm-up", 1, work, ct);
                runs.Add(warm);
                console.MarkupLineInterpolated($"Warm-up '{arm.Name}': {warmRate} req/s, p99 {BenchTools.F(warm.P99Ms)} ms, {warm.Failures} failures.");
            }

            var table = new Table().Title($"telemetry overhead, {Markup.Escape(manifest.Dataset)}: one silo, with vs without OTLP export").ShowRowSeparators();
            foreach (var column in new[] { "phase", "target req/s", "arm", "achieved", "p50 ms", "p99 ms", "fail", "verdict", "silo CPU ms/req", "client CPU ms/req", "receiver CPU ms/req", "load avg" })
                table.AddColumn(new TableColumn(column).RightAligned());

            async Task Rung(ArmState arm, double rate, string phase)
            {
                Run run = null!;
                for (var attempt = 1; attempt <= 1 + s.RetryMiss; attempt++)
                {
                    run = await LoadAsync(tools, arm, receiver, s, rate, s.Duration, phase, attempt, work, ct);
                    runs.Add(run);
                    AddRow(table, run);
                    var line = $"  {phase} {rate,7:F0} req/s  {arm.Name,-7}  achieved {BenchTools.F(run.AchievedRps)}  p50 {BenchTools.F(run.P50Ms, "F2")}  p99 {BenchTools.F(run.P99Ms, "F2")} ms  failures {run.Failures}  silo CPU {BenchTools.F(run.SiloCpuMsPerRequest, "F3")} ms/req  -> ";
                    console.MarkupLine(Markup.Escape(line) + (run.Pass ? "[green]sustained[/]" : $"[red]missed[/] ({Markup.Escape(run.Miss ?? "")})"));
                    if (run.Pass) break;
                }
                if (run.Pass) arm.Best = Math.Max(arm.Best ?? 0, rate);
                else arm.MissedAt = Math.Min(arm.MissedAt ?? double.MaxValue, rate);
            }

            // The ladder: both arms at every rung, the order flipped each rung, until both have missed.
            for (var i = 0; i < s.Rates.Length; i++)
            {
                var order = (i % 2 == 0 ? arms : arms.Reverse()).Where(a => a.MissedAt is null).ToArray();
                if (order.Length == 0) break;
                foreach (var arm in order) await Rung(arm, s.Rates[i], "ladder");
            }
            // Bisection of each arm's bracket, the arms interleaved.
            for (var step = 0; step < s.Refine; step++)
            {
                var order = step % 2 == 0 ? arms : arms.Reverse().ToArray();
                foreach (var arm in order)
                {
                    if (arm.Best is not { } low || arm.MissedAt is not { } high) continue;
                    if (RateLadder.Midpoint(low, high) is not { } mid) continue;
                    await Rung(arm, mid, "refine");
                }
            }

            console.Write(table);
            var loadAtEnd = ProcessStats.LoadAverage();
            return Report(s, resultName, manifest, artifactDir, receiver, without, with, runs, startedUtc, loadAtStart, loadAtEnd,
                await RepositoryRoot.CommitAsync(tools.Root, ct), withoutEnv, withEnv, console);
        }
        finally
        {
            if (with is not null) await with.Silo.DisposeAsync();
            if (without is not null) await without.Silo.DisposeAsync();
            try { Directory.Delete(Path.Combine(work, "store-with"), true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
            try { Directory.Delete(Path.Combine(work, "store-without"), true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }

    private static Dictionary<string, string> GatewayEnv(SiloProcess silo) =>
        new(StringComparer.Ordinal) { ["Cluster__GatewayPort"] = silo.GatewayPort.ToString(CultureInfo.InvariantCulture) };

    private static async Task<string> TrainAsync(BenchTools tools, string data, string outRoot, IAnsiConsole console, CancellationToken ct)
    {
        console.MarkupLineInterpolated($"Training on {data} into {outRoot} ...");
        var train = await ChildProcess.RunAsync(ChildProcess.DotnetHost(), [tools.TrainerDll, "train", "--data", data, "--out", outRoot], tools.Root, null, ct);
        if (train.ExitCode != 0) throw new UserFacingException($"training failed (exit {train.ExitCode}): {train.Tail()}");
        var folder = train.LastLine;
        if (!File.Exists(Path.Combine(folder, ModelManifest.FileName))) throw new UserFacingException($"train's last line is not an artifact folder: {folder}");
        return folder;
    }

    private static async Task<Run> LoadAsync(BenchTools tools, ArmState arm, OtlpReceiver receiver, Settings s, double rate, double seconds, string phase,
        int attempt, string work, CancellationToken ct)
    {
        var file = Path.Combine(work, $"load-{arm.Name}-{phase}-{rate.ToString("F0", CultureInfo.InvariantCulture)}-{attempt}.json");
        File.Delete(file);
        var env = GatewayEnv(arm.Silo);
        foreach (var (key, value) in arm.ClientEnvironment) env[key] = value;
        var load = ProcessStats.LoadAverage();
        var started = DateTime.UtcNow.ToString("O", CultureInfo.InvariantCulture);
        var siloBefore = arm.Silo.Program.CpuSeconds();
        var receiverBefore = receiver.CpuSeconds();
        var result = await ChildProcess.RunAsync(ChildProcess.DotnetHost(),
            [tools.ClientDll, "load", "--rps", rate.ToString(CultureInfo.InvariantCulture), "--duration", seconds.ToString(CultureInfo.InvariantCulture),
             "--users", s.Users, "--quiet", "--json", file], tools.Root, env, ct);
        var siloCpu = arm.Silo.Program.CpuSeconds() - siloBefore;
        var receiverCpu = receiver.CpuSeconds() - receiverBefore;
        if (arm.Silo.HasExited) throw new UserFacingException($"the '{arm.Name}' silo exited; its last output:\n{arm.Silo.Program.Tail()}");
        if (!File.Exists(file))
            return new Run(arm.Name, phase, rate, attempt, false, $"no report (exit {result.ExitCode}): {result.Tail()}", null, 0, 0, null, null, null, null,
                siloCpu, result.CpuSeconds, receiverCpu, result.WallSeconds, load, started);
        var json = JsonNode.Parse(await File.ReadAllTextAsync(file, ct))!;
        double? D(string key) => json[key]?.GetValue<double>();
        var achieved = D("achievedRps");
        var requests = json["requests"]?.GetValue<long>() ?? 0;
        var failures = json["failures"]?.GetValue<long>() ?? 0;
        var p99 = D("p99Ms");
        string? miss = null;
        if (failures > 0) miss = $"{failures} failures";
        else if (achieved is null || achieved < s.MinAchieved * rate) miss = $"achieved {BenchTools.F(achieved)} < {s.MinAchieved:P0}";
        else if (p99 is null || p99 >= s.P99BarMs) miss = $"p99 {BenchTools.F(p99)} >= {s.P99BarMs} ms";
        return new Run(arm.Name, phase, rate, attempt, miss is null, miss, achieved, requests, failures, D("p50Ms"), D("p95Ms"), p99, D("maxMs"),
            siloCpu, result.CpuSeconds, receiverCpu, result.WallSeconds, load, started);
    }

    private static void AddRow(Table table, Run r) => table.AddRow(
        r.Phase + (r.Attempt > 1 ? $" (again)" : ""), r.Rate.ToString("F0", CultureInfo.InvariantCulture), r.Arm, BenchTools.F(r.AchievedRps),
        BenchTools.F(r.P50Ms, "F2"), BenchTools.F(r.P99Ms, "F2"), r.Failures.ToString(CultureInfo.InvariantCulture),
        r.Pass ? "[green]ok[/]" : $"[red]miss[/] {Markup.Escape(r.Miss ?? "")}",
        BenchTools.F(r.SiloCpuMsPerRequest, "F3"), BenchTools.F(r.ClientCpuMsPerRequest, "F3"),
        r.Arm == With ? BenchTools.F(r.ReceiverCpuMsPerRequest, "F3") : BenchTools.F(r.ReceiverCpuMsPerRequest, "F3") + " (idle)",
        BenchTools.F(r.LoadAverage, "F2"));

    private static JsonObject Report(Settings s, string name, ModelManifest manifest, string artifactDir, OtlpReceiver receiver, ArmState without, ArmState with,
        List<Run> runs, DateTime startedUtc, double? loadAtStart, double? loadAtEnd, string? commit,
        IReadOnlyDictionary<string, string?> withoutEnv, IReadOnlyDictionary<string, string?> withEnv, IAnsiConsole console)
    {
        static string Verdict(ArmState arm, double[] rates) =>
            arm.Best is null ? $"< {rates[0]:F0} (missed the first rung)"
            : arm.MissedAt is null ? $">= {arm.Best:F0} (never missed; raise --max-rps)"
            : $"{arm.Best:F0} (missed {arm.MissedAt:F0})";
        double? ratio = without.Best is { } b0 && with.Best is { } b1 && b0 > 0 ? b1 / b0 : null;

        // CPU per request where both arms sustained the same target: the cost of telemetry at equal work.
        var passed = runs.Where(r => r.Pass && r.Phase != "warm-up").ToArray();
        var common = passed.Where(r => r.Arm == Without).Select(r => r.Rate)
            .Intersect(passed.Where(r => r.Arm == With).Select(r => r.Rate)).Order().ToArray();
        var cpuRows = new JsonArray();
        var siloRatios = new List<double>();
        var totalRatios = new List<double>();
        foreach (var rate in common)
        {
            var a = passed.Last(r => r.Arm == Without && r.Rate == rate);
            var b = passed.Last(r => r.Arm == With && r.Rate == rate);
            double? siloRatio = a.SiloCpuMsPerRequest is { } x && b.SiloCpuMsPerRequest is { } y && x > 0 ? y / x : null;
            double? totalRatio = a.TotalCpuMsPerRequest is { } tx && b.TotalCpuMsPerRequest is { } ty && tx > 0 ? ty / tx : null;
            if (siloRatio is { } sr) siloRatios.Add(sr);
            if (totalRatio is { } tr) totalRatios.Add(tr);
            cpuRows.Add(new JsonObject
            {
                ["rate"] = rate,
                ["withoutSiloCpuMsPerRequest"] = R(a.SiloCpuMsPerRequest, 4),
                ["withSiloCpuMsPerRequest"] = R(b.SiloCpuMsPerRequest, 4),
                ["siloCpuRatio"] = R(siloRatio, 4),
                ["withoutTotalCpuMsPerRequest"] = R(a.TotalCpuMsPerRequest, 4),
                ["withTotalCpuMsPerRequest"] = R(b.TotalCpuMsPerRequest, 4),
                ["totalCpuRatio"] = R(totalRatio, 4),
                ["withoutP99Ms"] = a.P99Ms,
                ["withP99Ms"] = b.P99Ms,
            });
        }
        static double? Median(List<double> v)
        {
            if (v.Count == 0) return null;
            var o = v.Order().ToArray();
            return o.Length % 2 == 1 ? o[o.Length / 2] : (o[o.Length / 2 - 1] + o[o.Length / 2]) / 2;
        }

        var summary = new Table().Title("telemetry overhead: summary").AddColumn("measure").AddColumn(new TableColumn("value").RightAligned());
        void Row(string label, string value) => summary.AddRow(Markup.Escape(label), Markup.Escape(value));
        Row("CPU / SIMD path", $"{MachineDescription.CpuModel()}, {Environment.ProcessorCount} cores / {BenchTools.SimdPath()}");
        Row("artifact", $"{manifest.Dataset} {manifest.Version}");
        Row("bar", $"achieved >= {s.MinAchieved:P0} of target, no failure, p99 < {s.P99BarMs} ms; {s.Duration} s per run; a miss is run again {s.RetryMiss}x");
        Row("highest sustained, without telemetry (req/s)", Verdict(without, s.Rates));
        Row("highest sustained, with OTLP export (req/s)", Verdict(with, s.Rates));
        Row("ratio with / without", ratio is { } rr ? $"{rr:F3} ({(rr - 1) * 100:+0.0;-0.0}%)" : "-");
        Row("target: at most 5% lower", ratio is { } r2 ? (r2 >= 0.95 ? "met" : "NOT met") : "-");
        Row("silo CPU per request, with / without (median over common rates)", Median(siloRatios) is { } ms ? $"{ms:F3} ({common.Length} rates)" : "-");
        Row("all CPU per request (silo + load generator + receiver), with / without", Median(totalRatios) is { } mt ? $"{mt:F3}" : "-");
        Row("receiver", receiver.Description);
        Row("silo warnings/errors (without / with)", $"{without.Silo.Program.ProblemCount} / {with.Silo.Program.ProblemCount}");
        Row("load average start / end", $"{BenchTools.F(loadAtStart, "F2")} / {BenchTools.F(loadAtEnd, "F2")}");
        console.Write(summary);

        return new JsonObject
        {
            ["benchmark"] = "telemetry-overhead",
            ["name"] = name,
            ["startedUtc"] = startedUtc.ToString("O", CultureInfo.InvariantCulture),
            ["commit"] = commit,
            ["artifact"] = new JsonObject
            {
                ["folder"] = artifactDir,
                ["dataset"] = manifest.Dataset,
                ["version"] = manifest.Version,
                ["dimension"] = manifest.Dimension,
            },
            ["method"] = "Two real silo processes (embedded default, localhost clustering, own stores) serve the same artifact side by side; "
                + "'with' has the OTEL_* variables of the receiver, 'without' none. Each run is one 'client load' process (open loop, users "
                + s.Users + ") against one silo, the other idle; the load generator of the 'with' arm exports too. Ladder rungs run both arms, "
                + "the order flipped every rung; then each arm's bracket is bisected, the arms interleaved. CPU from /proc (silo, receiver) and getrusage (load generator).",
            ["settings"] = new JsonObject
            {
                ["rates"] = new JsonArray([.. s.Rates.Select(r => (JsonNode)JsonValue.Create(r))]),
                ["refine"] = s.Refine,
                ["durationSeconds"] = s.Duration,
                ["p99BarMs"] = s.P99BarMs,
                ["minAchievedShare"] = s.MinAchieved,
                ["retryMiss"] = s.RetryMiss,
                ["warmupSeconds"] = s.WarmupSeconds,
                ["users"] = s.Users,
                ["shards"] = s.Shards,
                ["servedRecallShare"] = s.Share,
                ["withoutServedRecallShare"] = s.WithoutShare,
            },
            ["receiver"] = new JsonObject
            {
                ["description"] = receiver.Description,
                ["environment"] = ToJson(receiver.MaskedEnvironment.ToDictionary(p => p.Key, p => (string?)p.Value)),
            },
            ["siloEnvironment"] = new JsonObject
            {
                ["without"] = ToJson(withoutEnv.Where(p => !p.Key.StartsWith("OTEL_", StringComparison.Ordinal)).ToDictionary()),
                ["with"] = ToJson(withEnv.Where(p => !p.Key.StartsWith("OTEL_", StringComparison.Ordinal)).ToDictionary()),
            },
            ["result"] = new JsonObject
            {
                ["highestSustainedWithoutRps"] = without.Best,
                ["firstMissWithoutRps"] = without.MissedAt,
                ["highestSustainedWithRps"] = with.Best,
                ["firstMissWithRps"] = with.MissedAt,
                ["ratioWithOverWithout"] = R(ratio, 4),
                ["targetAtMost5PercentLower"] = ratio is { } t ? t >= 0.95 : null,
                ["medianSiloCpuRatioAtCommonRates"] = R(Median(siloRatios), 4),
                ["medianTotalCpuRatioAtCommonRates"] = R(Median(totalRatios), 4),
                ["cpuAtCommonRates"] = cpuRows,
                ["siloProblemLines"] = new JsonObject { ["without"] = without.Silo.Program.ProblemCount, ["with"] = with.Silo.Program.ProblemCount },
                ["siloProblemExamples"] = new JsonObject
                {
                    ["without"] = new JsonArray([.. without.Silo.Program.Problems.Take(5).Select(l => (JsonNode)JsonValue.Create(l))]),
                    ["with"] = new JsonArray([.. with.Silo.Program.Problems.Take(5).Select(l => (JsonNode)JsonValue.Create(l))]),
                },
            },
            ["runs"] = new JsonArray([.. runs.Select(r => (JsonNode)r.ToJson())]),
            ["machine"] = BenchmarkReport.Machine(loadAtStart, loadAtEnd),
        };
    }

    private static JsonObject ToJson(IReadOnlyDictionary<string, string?> values)
    {
        var json = new JsonObject();
        foreach (var (key, value) in values.OrderBy(p => p.Key, StringComparer.Ordinal)) json[key] = value;
        return json;
    }

    private static double? R(double? value, int digits = 3) => value is { } v ? Math.Round(v, digits) : null;
}
