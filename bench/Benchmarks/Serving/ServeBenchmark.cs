using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using MovieRecommender.Artifacts;
using MovieRecommender.Benchmarks.Publish;
using MovieRecommender.Benchmarks.Telemetry;
using MovieRecommender.Cluster;
using MovieRecommender.CommandLine;
using MovieRecommender.Grains;
using MovieRecommender.Index;
using MovieRecommender.Operations.Publishing;
using Spectre.Console;

namespace MovieRecommender.Benchmarks.Serving;

/// <summary>What a serve run produced: its JSON report, its rows (for the plot) and the capacity table.</summary>
public sealed record ServeOutcome(JsonObject Report, IReadOnlyList<ServeRow> Rows, string Capacity);

/// <summary>
/// The serve benchmark. Generates (or reuses) a seeded catalogue artifact, loads it, and computes the exact top 10 of a
/// sample of users. Then, per index setting: builds the same shards in this process and times a recommendation's
/// search without Orleans (<see cref="InProcessShards"/>); starts a real silo process (its own ports and store, the
/// index setting routed by <see cref="IndexRouting"/>), publishes the artifact through a real Orleans client (movie and
/// user seconds), asks each shard which tier it built, warms up, then climbs the rates (open loop, <see cref="ServingLoad"/>)
/// until one is missed and bisects between the last sustained and the first missed. Every rate tried is a row.
/// </summary>
public static class ServeBenchmark
{
    /// <summary>Seconds the silo's CPU at rest is measured, at most (/proc counts 10 ms ticks); no longer than a rate's step.</summary>
    private const double IdleSeconds = 3;

    public static async Task<ServeOutcome> RunAsync(ServeSettings s, string root, string name, IAnsiConsole console, CancellationToken ct)
    {
        var loadAtStart = ProcessStats.LoadAverage();
        var startedUtc = DateTime.UtcNow;
        BenchTools.ScrubOtelEnvironment();
        var siloDll = await BenchmarkReport.EnsureBuiltAsync(root, "Silo", "the silo", s.Build, console, ct, RepositoryRoot.Configuration);
        Directory.CreateDirectory(s.OutRoot);

        var dataName = s.Data.ToString().ToLowerInvariant();
        var (made, generateSeconds, artifact, loadSeconds) = await LoadCatalogueAsync(s.OutRoot, s.Movies, s.Users, s.Dim, s.Seed, s.Regenerate, s.Data, towers: s.FilterShare is not null, console);

        var draw = s.Zipf is { } exponent ? UserDraw.Zipf(artifact.Users.Count, exponent, s.Seed + 7) : UserDraw.Pool(artifact.Users.Count, s.UserPool, s.Seed);
        var filter = s.FilterShare is { } share ? FilterChoice.ForShare(artifact, share) : null;
        console.MarkupLineInterpolated($"Users: {draw.Description}.{(filter is null ? "" : $" Every request filtered: {filter}.")}");
        RecallSample sample = null!;
        await console.Status().StartAsync($"Brute force of {Math.Min(s.RecallSample, s.Users)} sampled users over {s.Movies:N0} movies ...",
            _ => { sample = RecallSample.Compute(artifact, s.RecallSample, ServingLoad.K, s.Seed, ct, filter: filter?.Filter); return Task.CompletedTask; });
        console.MarkupLineInterpolated($"Exact top {ServingLoad.K} of {sample.UserRows.Count} sampled users in {sample.Seconds:F1} s.");

        // In process first, one index at a time, so its memory is given back before a silo holds the catalogue.
        var inProcess = new Dictionary<string, InProcessReport>(StringComparer.Ordinal);
        // A filter needs genres and years: the catalogue with metadata (and towers) then, the same embeddings.
        // The in-process search applies no filter: with one, the phase is skipped rather than compared unlike with like.
        if (s.InProcessQueries > 0 && filter is null)
        {
            var rowOfItem = new Dictionary<string, int>(artifact.Items.Count, StringComparer.Ordinal);
            for (var row = 0; row < artifact.Items.Count; row++) rowOfItem[artifact.Items[row].Id] = row;
            var random = new Random(s.Seed + 1);
            var queries = Enumerable.Range(0, s.InProcessQueries).Select(_ => random.Next(artifact.Users.Count)).ToArray();
            foreach (var spec in s.Indexes)
            {
                InProcessReport report = null!;
                await console.Status().StartAsync($"{spec}: building {s.Shards} shards in process and asking {queries.Length:N0} users one at a time ...", _ =>
                {
                    var shards = InProcessShards.Build(artifact, s.Shards, spec, rowOfItem);
                    report = shards.Measure(spec.ToString(), queries, sample, ServingLoad.K, minSeconds: 2, ct);
                    return Task.CompletedTask;
                });
                inProcess[spec.ToString()] = report;
                console.MarkupLineInterpolated($"[bold]{spec}[/] in process ({string.Join(", ", report.ResolvedSpecs)}): built in {report.BuildSeconds:F1} s, {report.CpuMsPerRecommendation:F3} ms CPU per recommendation, p50 {report.P50Ms:F3} / p99 {report.P99Ms:F3} ms, recall@10 {report.RecallAt10:F4}.");
                GC.Collect();
            }
            rowOfItem = null;
            // Give the shards' copies back to the OS, not only to the heap: at 10M movies they are gigabytes the silo needs next.
            GC.Collect(2, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        }

        var rows = new List<ServeRow>();
        var indexReports = new JsonArray();
        var capacities = new List<TierCapacity>();
        var table = ProgressTable();
        foreach (var spec in s.Indexes)
        {
            try
            {
                var (report, capacity) = await ServeOneAsync(s, spec, artifact, sample, draw, filter?.Filter, inProcess.GetValueOrDefault(spec.ToString()), siloDll, rows, table, console, ct);
                indexReports.Add(report);
                if (capacity is not null) capacities.Add(capacity);
            }
            catch (Exception e) when (!ct.IsCancellationRequested)
            {
                // One setting that cannot be served (a publish that times out) is a finding of the run: recorded, and the next one goes on.
                var error = $"{e.GetType().Name}: {e.Message.Split('\n')[0]}";
                console.MarkupLineInterpolated($"[red]{spec}: {error}[/]");
                indexReports.Add(new JsonObject { ["index"] = spec.ToString(), ["shardTiers"] = "-", ["error"] = error });
            }
        }

        console.Write(table);
        var summary = SummaryTable(s, indexReports);
        console.Write(summary);
        var cpu = MachineDescription.CpuModel();
        console.MarkupLineInterpolated($"CPU {cpu}, {Environment.ProcessorCount} cores; SIMD path {BenchTools.SimdPath()}.");
        var capacityText = CapacityTable.ToMarkdown(capacities, s.SiloMemoryGb * 1e9,
            $"{cpu}, {Environment.ProcessorCount} cores, {BenchTools.SimdPath()}, load average {BenchTools.F(loadAtStart, "F1")} at the start, one silo, {s.Movies:N0} movies x {s.Dim} ({dataName}), {s.Users:N0} users, {s.Shards} shards",
            $"benchmarks serve, commit {await RepositoryRoot.CommitAsync(root, ct)}, {startedUtc:yyyy-MM-dd}");
        var loadAtEnd = ProcessStats.LoadAverage();
        var json = await BenchmarkReport.HeadAsync("serve", name, startedUtc, root, ct);
        json["artifact"] = GeneratedArtifact.Describe(made.Folder, artifact, s.Movies, s.Users, s.Dim, s.Data, s.Seed, made.Reused, generateSeconds, loadSeconds);
        json["settings"] = new JsonObject
        {
            ["indexes"] = new JsonArray([.. s.Indexes.Select(i => (JsonNode)JsonValue.Create(i.ToString()))]),
            ["indexRouting"] = "publish (recorded with the version); one silo per index setting",
            ["shards"] = s.Shards,
            ["userShards"] = s.UserShards,
            ["shardsChosenBy"] = s.ShardsGiven ? "--shards" : $"ShardLayout for one silo (one shard per silo, more past {ShardLayout.MoviesPerShard:N0} movies a shard)",
            ["users"] = draw.Description,
            ["userDraw"] = draw.Settings.Kind,
            ["userPool"] = draw.Settings.Pool,
            ["zipfExponent"] = draw.Settings.ZipfExponent,
            ["filter"] = filter is null ? null : new JsonObject
            {
                ["requestedShare"] = s.FilterShare,
                ["genre"] = filter.Filter.Genre,
                ["minYear"] = filter.Filter.MinYear,
                ["maxYear"] = filter.Filter.MaxYear,
                ["keptMovies"] = filter.Kept,
                ["keptShare"] = Math.Round(filter.Share, 5),
            },
            ["k"] = ServingLoad.K,
            ["rates"] = new JsonArray([.. s.Rates.Select(r => (JsonNode)JsonValue.Create(r))]),
            ["refine"] = s.Refine,
            ["durationSeconds"] = s.Rules.DurationSeconds,
            ["warmupSeconds"] = s.WarmupSeconds,
            ["p99BarMs"] = s.Rules.P99BarMs,
            ["minAchievedShare"] = s.Rules.MinAchieved,
            ["concurrency"] = s.Rules.Concurrency,
            ["timeoutMs"] = s.Rules.TimeoutMs,
            ["inProcessQueries"] = s.InProcessQueries,
            ["siloMemoryGb"] = s.SiloMemoryGb,
        };
        json["method"] = "Per index setting: the same shards built in this process and every query searched through them one at a time (CPU per recommendation without Orleans); "
            + "then a real silo process (its own ports and store) serving the artifact published through a real Orleans client, and the load generator's open loop "
            + "(one attempt per request, latency from when a request was due, users drawn uniformly over all users, over the --user-pool, or by --zipf, the recall sample spread among them; with --filter-share every request carries the filter and the exact top 10 is among the movies it keeps) at each rate: "
            + "a ladder until the first miss, then bisection. Sustained: no failure, achieved >= min share of the target, p99 under the bar. Silo CPU from /proc over each step, "
            + "also net of the silo's CPU at rest (measured for up to 3 s after the warm-up). CPU ratio at a moderate rate: the highest sustained at most half the best.";
        json["recallSample"] = new JsonObject
        {
            ["users"] = sample.UserRows.Count,
            ["bruteForceSeconds"] = Math.Round(sample.Seconds, 1),
            ["rule"] = "|served rows ∩ exact top 10 rows| / 10 over the sampled users' answers in each step; exact: brute force over the artifact's float32 rows in double precision, seen movies excluded (ExactRecommender).",
        };
        json["indexes"] = indexReports;
        json["rows"] = new JsonArray([.. rows.Select(r => (JsonNode)r.ToJson())]);
        json["capacity"] = capacityText;
        json["machine"] = BenchmarkReport.Machine(loadAtStart, loadAtEnd);
        return new ServeOutcome(json, rows, capacityText);
    }

    private static async Task<(JsonObject Report, TierCapacity? Capacity)> ServeOneAsync(ServeSettings s, IndexSpec spec, ModelArtifact artifact, RecallSample sample,
        UserDraw draw, MovieFilter? filter, InProcessReport? inProcess, string siloDll, List<ServeRow> rows, Table table, IAnsiConsole console, CancellationToken ct)
    {
        var label = spec.ToString();
        var store = Path.Combine(s.OutRoot, $"serve-store-{DateTime.UtcNow:yyyyMMdd-HHmmss}-{Environment.ProcessId}");
        SiloProcess? silo = null;
        try
        {
            silo = await SiloProcess.StartAsync(store, siloDll: siloDll, name: $"silo '{label}'", readyTimeout: TimeSpan.FromSeconds(120), ct: ct);
            await using var connection = await ClusterConnection.ConnectAsync(ct, gatewayPortOverride: silo.GatewayPort);
            var client = connection.Client;
            var rssIdle = silo.Program.RssBytes();
            console.MarkupLineInterpolated($"[bold]{label}[/]: silo pid {silo.ProcessId} (gateway {silo.GatewayPort}), RSS {rssIdle / 1e6:F0} MB.");

            var (publishSeconds, moviesSeconds) = await PublishAsync(client, artifact, s.Shards, s.UserShards, spec, label, console, ct);
            var rssPublished = silo.Program.RssBytes();
            var tiers = await ShardTiersAsync(client, artifact, s.Shards);
            console.MarkupLineInterpolated($"  published in {publishSeconds:F1} s (movies {moviesSeconds:F1} s, users {publishSeconds - moviesSeconds:F1} s); shards built {tiers}; RSS {rssPublished / 1e6:F0} MB.");

            var serving = new ServingLoad(client, artifact, sample, silo, s.Shards, s.Seed, draw, filter);
            var under = new IndexUnderTest(label, inProcess is null ? null : string.Join(" ", inProcess.ResolvedSpecs), tiers, inProcess?.CpuMsPerRecommendation);
            ServeRow? warm = null;
            if (s.WarmupSeconds > 0)
            {
                warm = await serving.RunAsync(under, s.Rates[0], "warm-up", s.Rules with { DurationSeconds = s.WarmupSeconds }, ct);
                console.MarkupLineInterpolated($"  warm-up at {s.Rates[0]:F0} req/s: p99 {warm.P99Ms:F1} ms, {warm.Failures} failures.");
            }
            // The silo at rest after the warm-up (and a second to settle): its own CPU, taken out of each step's to give a recommendation's.
            await Task.Delay(TimeSpan.FromSeconds(1), ct);
            var idle = await serving.IdleCpuMsPerSecondAsync(Math.Min(IdleSeconds, s.Rules.DurationSeconds), ct);
            under = under with { SiloIdleCpuMsPerSecond = idle };
            console.MarkupLineInterpolated($"  silo at rest: {BenchTools.F(idle, "F1")} ms CPU per second.");

            double? best = null, missed = null;
            async Task Step(double rate, string phase)
            {
                var row = await serving.RunAsync(under, rate, phase, s.Rules, ct);
                rows.Add(row);
                AddRow(table, row);
                var line = $"  {phase} {rate,7:F0} req/s: achieved {row.Rps:F0}, p50 {row.P50Ms:F1} p99 {row.P99Ms:F1} ms, failures {row.Failures}, recall@10 {BenchTools.F(row.RecallAt10, "F4")}, silo CPU {BenchTools.F(row.SiloCpuMsPerRecommendation, "F3")} ms/rec -> ";
                console.MarkupLine(Markup.Escape(line) + (row.Sustained ? "[green]sustained[/]" : $"[red]missed[/] ({Markup.Escape(row.Miss ?? "")})"));
                if (row.Sustained) best = Math.Max(best ?? 0, rate);
                else missed = Math.Min(missed ?? double.MaxValue, rate);
            }
            foreach (var rate in s.Rates)
            {
                await Step(rate, "ladder");
                if (missed is not null) break;
            }
            for (var step = 0; step < s.Refine && best is { } low && missed is { } high; step++)
            {
                if (RateLadder.Midpoint(low, high) is not { } mid) break;
                await Step(mid, "refine");
            }

            var mine = rows.Where(r => r.Index == label).ToList();
            var sustained = mine.Where(r => r.Sustained).OrderBy(r => r.TargetRps).ToList();
            var atBest = sustained.LastOrDefault();
            // A moderate rate: the highest sustained one at most half the best (else the lowest sustained), where the
            // silo is neither idle (fixed costs spread over few requests) nor saturated.
            var moderate = sustained.LastOrDefault(r => best is { } b && r.TargetRps <= b / 2) ?? sustained.FirstOrDefault();
            var recalls = mine.Where(r => r.RecallAt10 is not null).ToList();
            double? recall = recalls.Count == 0 ? null : recalls.Sum(r => r.RecallAt10!.Value * r.RecallAnswers) / Math.Max(1, recalls.Sum(r => r.RecallAnswers));
            var rssDelta = rssPublished is { } after && rssIdle is { } before ? (after - before) / 1e6 : (double?)null;
            var capacity = inProcess is null ? null : new TierCapacity(label, string.Join(" ", inProcess.ResolvedSpecs), artifact.Items.Count, artifact.Manifest.Dimension,
                inProcess.FloatBytes, inProcess.IndexExtraBytes, rssDelta, atBest?.SiloCpuMsPerRecommendation, inProcess.CpuMsPerRecommendation,
                best, atBest is { SiloCpuMsPerRecommendation: { } c } ? atBest.Rps * c : null);
            var report = new JsonObject
            {
                ["index"] = label,
                ["resolvedSpecs"] = inProcess is null ? null : new JsonArray([.. inProcess.ResolvedSpecs.Select(x => (JsonNode)JsonValue.Create(x))]),
                ["shardTiers"] = tiers,
                ["publish"] = new JsonObject
                {
                    ["totalSeconds"] = Math.Round(publishSeconds, 2),
                    ["moviesSeconds"] = Math.Round(moviesSeconds, 2),
                    ["usersSeconds"] = Math.Round(publishSeconds - moviesSeconds, 2),
                    ["note"] = "movies: pushed and sealed (each shard builds its index at the seal); users: pushed and sealed; then the activation.",
                },
                ["siloRssIdleMb"] = R(rssIdle / 1e6, 0),
                ["siloRssAfterPublishMb"] = R(rssPublished / 1e6, 0),
                ["siloRssDeltaMb"] = R(rssDelta, 0),
                ["siloPeakRssMb"] = R(silo.Program.PeakRssBytes() / 1e6, 0),
                ["inProcess"] = inProcess is null ? null : new JsonObject
                {
                    ["queries"] = inProcess.Queries,
                    ["buildSeconds"] = Math.Round(inProcess.BuildSeconds, 2),
                    ["cpuMsPerRecommendation"] = Math.Round(inProcess.CpuMsPerRecommendation, 4),
                    ["wallMsPerRecommendation"] = Math.Round(inProcess.WallMsPerRecommendation, 4),
                    ["p50Ms"] = Math.Round(inProcess.P50Ms, 4),
                    ["p99Ms"] = Math.Round(inProcess.P99Ms, 4),
                    ["recallAt10"] = Math.Round(inProcess.RecallAt10, 4),
                    ["recallAnswers"] = inProcess.RecallAnswers,
                    ["floatBytes"] = inProcess.FloatBytes,
                    ["indexExtraBytes"] = inProcess.IndexExtraBytes,
                },
                ["warmup"] = warm?.ToJson(),
                ["siloIdleCpuMsPerSecond"] = R(idle, 2),
                ["highestSustainedRps"] = best,
                ["firstMissedRps"] = missed,
                ["p99MsAtHighestSustained"] = atBest is null ? null : Math.Round(atBest.P99Ms, 2),
                ["recallAt10"] = R(recall, 4),
                ["moderateRps"] = moderate?.TargetRps,
                ["siloCpuMsPerRecommendationAtModerate"] = R(moderate?.SiloCpuMsPerRecommendation, 4),
                ["siloCpuMsPerRecommendationNetOfIdleAtModerate"] = R(moderate?.SiloCpuMsPerRecommendationNetOfIdle, 4),
                ["cpuRatioSiloOverInProcessAtModerate"] = R(moderate?.CpuRatio, 2),
                ["cpuRatioNetOfIdleAtModerate"] = R(moderate?.CpuRatioNetOfIdle, 2),
                ["siloProblemLines"] = silo.Program.ProblemCount,
                ["siloProblemExamples"] = new JsonArray([.. silo.Program.Problems.Take(5).Select(l => (JsonNode)JsonValue.Create(l))]),
            };
            return (report, capacity);
        }
        finally
        {
            if (silo is not null) await silo.DisposeAsync();
            if (!s.KeepStore)
                try { Directory.Delete(store, true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }

    /// <summary>
    /// The catalogue: generated once per parameters, reused by later runs (and other processes) unless
    /// <paramref name="regenerate"/>; then loaded and verified. Returns its folder, whether it was reused, the seconds
    /// generating took (null when reused), the artifact and the seconds loading took.
    /// </summary>
    public static async Task<((string Folder, bool Reused) Made, double? GenerateSeconds, ModelArtifact Artifact, double LoadSeconds)> LoadCatalogueAsync(
        string outRoot, int movies, int users, int dim, int seed, bool regenerate, SyntheticData data, bool towers, IAnsiConsole console)
    {
        var watch = Stopwatch.StartNew();
        (string Folder, bool Reused) made = ("", false);
        await console.Status().StartAsync($"Generating {movies:N0} movies{(towers ? " with towers" : "")} and {users:N0} users x {dim} ({data.ToString().ToLowerInvariant()}, seed {seed}) under {outRoot} ...",
            _ => { made = GeneratedArtifact.Ensure(outRoot, movies, users, dim, seed, reuse: !regenerate, data, towers); return Task.CompletedTask; });
        double? generateSeconds = made.Reused ? null : watch.Elapsed.TotalSeconds;
        console.MarkupLineInterpolated($"{(made.Reused ? "Reusing" : "Generated")} {made.Folder}{(made.Reused ? "" : $" in {generateSeconds:F1} s")}.");
        watch.Restart();
        ModelArtifact artifact = null!;
        await console.Status().StartAsync("Loading and verifying the artifact ...", _ => { artifact = ModelArtifact.Load(made.Folder); return Task.CompletedTask; });
        var loadSeconds = watch.Elapsed.TotalSeconds;
        console.MarkupLineInterpolated($"Loaded {artifact.Manifest.Version} in {loadSeconds:F1} s.");
        return (made, generateSeconds, artifact, loadSeconds);
    }

    /// <summary>
    /// Publishes the artifact with the index setting: movies (pushed and sealed; each shard then builds its index in the
    /// silo), users, and the wait for the indexes. Returns the seconds in all and until the users started.
    /// </summary>
    public static async Task<(double Seconds, double MoviesSeconds)> PublishAsync(IGrainFactory client, ModelArtifact artifact, int shards, int userShards,
        IndexSpec spec, string label, IAnsiConsole console, CancellationToken ct)
    {
        var tracker = new PublishProgressTracker();
        var watch = Stopwatch.StartNew();
        await console.Status().StartAsync($"{label}: publishing {artifact.Items.Count:N0} movies and {artifact.Users.Count:N0} users into {shards} + {userShards} shards ...",
            async _ => await new ArtifactPublisher(client).PublishAsync(artifact, new PublishOptions { CandidateShards = shards, UserShards = userShards, Index = spec }, tracker, ct));
        var seconds = watch.Elapsed.TotalSeconds;
        return (seconds, tracker.UsersStartedSeconds ?? seconds);
    }

    /// <summary>The indexes the shards built, grouped ("ivf-int8:lists=500,probe=15 x16"), as each shard reports it.</summary>
    public static async Task<string> ShardTiersAsync(IGrainFactory grains, ModelArtifact artifact, int shards)
    {
        var statuses = await Task.WhenAll(Enumerable.Range(0, shards).Select(shard =>
            grains.GetGrain<ICandidateShardGrain>(ICandidateShardGrain.Key(artifact.Manifest.Version, shard)).IndexStatus()));
        return string.Join(", ", statuses.GroupBy(s => s.Built ?? "building").OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => $"{g.Key} x{g.Count()}"));
    }

    private static Table ProgressTable()
    {
        var table = new Table().Title("serve: every rate tried").ShowRowSeparators();
        foreach (var column in new[] { "index", "phase", "target req/s", "achieved", "p50 ms", "p99 ms", "failures", "recall@10", "silo CPU ms/rec (net of idle)", "x in-process", "silo RSS MB", "" })
            table.AddColumn(new TableColumn(column).RightAligned());
        return table;
    }

    private static void AddRow(Table table, ServeRow r) => table.AddRow(
        Markup.Escape(r.Index), r.Phase, r.TargetRps.ToString("F0", CultureInfo.InvariantCulture), r.Rps.ToString("F0", CultureInfo.InvariantCulture),
        r.P50Ms.ToString("F1", CultureInfo.InvariantCulture), r.P99Ms.ToString("F1", CultureInfo.InvariantCulture), r.Failures.ToString(CultureInfo.InvariantCulture),
        BenchTools.F(r.RecallAt10, "F4"), $"{BenchTools.F(r.SiloCpuMsPerRecommendation, "F3")} ({BenchTools.F(r.SiloCpuMsPerRecommendationNetOfIdle, "F3")})", BenchTools.F(r.CpuRatio, "F2"), BenchTools.F(r.SiloRssMb, "F0"),
        r.Sustained ? "[green]ok[/]" : $"[red]miss[/] {Markup.Escape(r.Miss ?? "")}");

    private static Table SummaryTable(ServeSettings s, JsonArray indexes)
    {
        var table = new Table().Title($"serve: highest sustained rate per index (p99 < {s.Rules.P99BarMs} ms, no failure, achieved >= {s.Rules.MinAchieved:P0})");
        foreach (var column in new[] { "index", "shards built", "publish s (movies / users)", "highest sustained req/s", "p99 ms there", "recall@10", "silo CPU ms/rec (net of idle)", "in-process ms/rec", "silo / in-process, net of idle (target <= 2)", "silo RSS after publish MB" })
            table.AddColumn(new TableColumn(column).RightAligned());
        foreach (var i in indexes.OfType<JsonObject>())
        {
            string V(JsonNode? node, string format = "F1") => node is null ? "-" : node.GetValue<double>().ToString(format, CultureInfo.InvariantCulture);
            var ratio = i["cpuRatioSiloOverInProcessAtModerate"];
            var net = i["cpuRatioNetOfIdleAtModerate"];
            table.AddRow(
                Markup.Escape(i["index"]!.GetValue<string>()),
                Markup.Escape(i["shardTiers"]!.GetValue<string>()),
                i["publish"] is { } publish ? $"{V(publish["totalSeconds"])} ({V(publish["moviesSeconds"])} / {V(publish["usersSeconds"])})" : "failed: see the error",
                V(i["highestSustainedRps"], "F0") + (i["firstMissedRps"] is null && i["error"] is null ? " (never missed: raise --max-rps)" : ""),
                V(i["p99MsAtHighestSustained"], "F1"),
                V(i["recallAt10"], "F4"),
                $"{V(i["siloCpuMsPerRecommendationAtModerate"], "F3")} ({V(i["siloCpuMsPerRecommendationNetOfIdleAtModerate"], "F3")})",
                V(i["inProcess"]?["cpuMsPerRecommendation"], "F3"),
                ratio is null ? "-" : $"{V(ratio, "F2")}, {V(net, "F2")} ({(net is not null && net.GetValue<double>() <= 2 ? "met" : "NOT met")})",
                V(i["siloRssAfterPublishMb"], "F0"));
        }
        return table;
    }

    private static double? R(double? value, int digits) => value is { } v ? Math.Round(v, digits) : null;
}
