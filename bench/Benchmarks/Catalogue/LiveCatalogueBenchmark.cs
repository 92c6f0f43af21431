using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using MovieRecommender.Artifacts;
using MovieRecommender.Benchmarks.Publish;
using MovieRecommender.Benchmarks.Serving;
using MovieRecommender.Benchmarks.Telemetry;
using MovieRecommender.Cluster;
using MovieRecommender.CommandLine;
using MovieRecommender.Grains;
using MovieRecommender.Operations.Load;
using MovieRecommender.Operations.Verification;
using Spectre.Console;

namespace MovieRecommender.Benchmarks.Catalogue;

/// <summary>
/// The live catalogue under load. Generates (or reuses) a clustered catalogue whose movies have genres, years and
/// titles and whose artifact carries feature towers (<see cref="GeneratedFeatures"/>), starts one real silo process,
/// publishes it with the index asked (<c>auto</c>), and then, through an Orleans client: recommendations at a steady
/// rate (open loop, <see cref="ServingLoad"/>) alone; the same load while movies are put at a steady rate
/// (<see cref="LivePuts"/>) until all are added; served recall@10 of a sample of users against brute force over the
/// artifact's rows and every put movie embedded by the artifact's own towers (<see cref="LiveCatalogueReference"/>);
/// and takedowns of movies in those users' answers, each timed from the call's return to the first answer without it
/// (<see cref="TakedownProbe"/>), under the same load.
/// </summary>
public static class LiveCatalogueBenchmark
{
    public static async Task<JsonObject> RunAsync(LiveCatalogueSettings s, string root, string name, IAnsiConsole console, CancellationToken ct)
    {
        var loadAtStart = ProcessStats.LoadAverage();
        var startedUtc = DateTime.UtcNow;
        BenchTools.ScrubOtelEnvironment();
        var siloDll = await BenchmarkReport.EnsureBuiltAsync(root, "Silo", "the silo", s.Build, console, ct, RepositoryRoot.Configuration);
        Directory.CreateDirectory(s.OutRoot);

        var (made, generateSeconds, artifact, loadSeconds) = await ServeBenchmark.LoadCatalogueAsync(s.OutRoot, s.Movies, s.Users, s.Dim, s.Seed, s.Regenerate,
            SyntheticData.Clustered, towers: true, console);
        if (artifact.Towers is null) throw new UserFacingException($"{made.Folder} carries no feature towers; run again with --regenerate.");

        RecallSample before = null!;
        await console.Status().StartAsync($"Brute force of {Math.Min(s.RecallSample, s.Users)} sampled users over {s.Movies:N0} movies ...",
            _ => { before = RecallSample.Compute(artifact, s.RecallSample, ServingLoad.K, s.Seed, ct); return Task.CompletedTask; });
        console.MarkupLineInterpolated($"Exact top {ServingLoad.K} of {before.UserRows.Count} sampled users in {before.Seconds:F1} s.");

        var label = s.Index.ToString();
        var store = Path.Combine(s.OutRoot, $"live-catalogue-store-{DateTime.UtcNow:yyyyMMdd-HHmmss}-{Environment.ProcessId}");
        SiloProcess? silo = null;
        try
        {
            silo = await SiloProcess.StartAsync(store, siloDll: siloDll, name: $"silo '{label}'", readyTimeout: TimeSpan.FromSeconds(120), ct: ct);
            await using var connection = await ClusterConnection.ConnectAsync(ct, gatewayPortOverride: silo.GatewayPort);
            var client = connection.Client;
            console.MarkupLineInterpolated($"Silo pid {silo.ProcessId} (gateway {silo.GatewayPort}), RSS {silo.Program.RssBytes() / 1e6:F0} MB.");
            var (publishSeconds, moviesSeconds) = await ServeBenchmark.PublishAsync(client, artifact, s.Shards, s.UserShards, s.Index, label, console, ct);
            var tiers = await ServeBenchmark.ShardTiersAsync(client, artifact, s.Shards);
            var rssPublished = silo.Program.RssBytes();
            console.MarkupLineInterpolated($"Published in {publishSeconds:F1} s (movies {moviesSeconds:F1} s); shards built {tiers}; RSS {rssPublished / 1e6:F0} MB.");

            var serving = new ServingLoad(client, artifact, before, silo, s.Shards, s.Seed, UserDraw.Pool(artifact.Users.Count, s.UserPool, s.Seed));
            var under = new IndexUnderTest(label, null, tiers, null);
            var phases = new List<(string Phase, ServeRow Row, double? SiloCores)>();
            async Task<ServeRow> Load(string phase, double seconds, Task? beside = null)
            {
                var (row, cores) = await WithSiloCpu(silo, () => serving.RunAsync(under, s.Rps, phase, s.Rules with { DurationSeconds = seconds }, ct));
                phases.Add((phase, row, cores));
                console.MarkupLineInterpolated($"  {phase}: {s.Rps:F0} req/s for {seconds:F0} s: achieved {row.Rps:F0}, p50 {row.P50Ms:F1} p99 {row.P99Ms:F1} max {row.MaxMs:F0} ms, failures {row.Failures}, silo {BenchTools.F(cores, "F2")} cores.");
                return row;
            }

            if (s.WarmupSeconds > 0) await Load("warm-up", s.WarmupSeconds);
            var baseline = await Load("baseline", s.BaselineSeconds);

            // The puts and the same recommendation load at once; the load lasts as long as the puts take at their rate.
            var firstId = artifact.Items.Select(i => int.TryParse(i.Id, CultureInfo.InvariantCulture, out var id) ? id : 0).Max() + 1;
            var putWindow = s.Puts / s.PutRps;
            var putsTask = LivePuts.RunAsync(client, firstId, s.Puts, s.PutRps, s.PutConcurrency, s.Rules.TimeoutMs, s.Seed + 3, ct);
            var during = await Load("during puts", putWindow);
            var puts = await putsTask;
            console.MarkupLineInterpolated($"  puts: {puts.Changes.Count:N0} of {puts.Asked:N0} at {puts.AchievedRps:F0}/s in {puts.Seconds:F1} s, p50 {puts.P50Ms:F1} p99 {puts.P99Ms:F1} max {puts.MaxMs:F0} ms, failures {puts.Failures}{(puts.FirstError is null ? "" : $" ({puts.FirstError})")}.");

            // Served recall at the end: the same users, their truth over the artifact and every put movie (embedded here by the artifact's towers).
            // A put that timed out here may still have been recorded and served: then the truth is the cluster's live catalogue, read back.
            var (truth, truthChanges) = puts.Failures == 0
                ? (LiveCatalogueReference.FromChanges(artifact, puts.Changes), puts.Changes.Count)
                : await LiveCatalogueReference.ReadAsync(client, artifact);
            RecallSample after = null!;
            await console.Status().StartAsync($"Brute force of {before.UserRows.Count} sampled users over {s.Movies:N0} + {truth.Rows.Count:N0} put movies ...",
                _ => { after = RecallSample.Compute(artifact, s.RecallSample, ServingLoad.K, s.Seed, ct, truth); return Task.CompletedTask; });
            var answers = await AskAllAsync(client, artifact, after.UserRows, ct);
            var recalls = answers.Select(a => after.Recall(a.UserRow, a.Answer.Movies.Select(m => m.Row))).ToArray();
            var truthNew = after.UserRows.Sum(u => after.Truth(u).Count(r => r >= artifact.Items.Count));
            var truthSlots = after.UserRows.Sum(u => after.Truth(u).Count);
            var usersWithNew = after.UserRows.Count(u => after.Truth(u).Any(r => r >= artifact.Items.Count));
            var servedNew = answers.Sum(a => a.Answer.Movies.Count(m => m.Row >= artifact.Items.Count));
            var recall = recalls.Length > 0 ? recalls.Average() : 0;
            console.MarkupLineInterpolated($"  recall@10 at the end: {recall:F4} over {recalls.Length} users (min {recalls.DefaultIfEmpty(0).Min():F2}); put movies are {truthNew:N0} of {truthSlots:N0} truth slots ({usersWithNew} users), {servedNew:N0} served.");

            // Takedowns of movies in those answers (one per user, seeded), under the same recommendation load.
            var targets = Targets(answers, artifact.Items.Count, s.Takedowns, s.Seed);
            var probes = new List<Task<TakedownResult>>(targets.Count);
            var takedownWindow = targets.Count / s.TakedownRps;
            var probing = Task.Run(async () =>
            {
                var clock = Stopwatch.StartNew();
                for (var i = 0; i < targets.Count; i++)
                {
                    var wait = i / s.TakedownRps - clock.Elapsed.TotalSeconds;
                    if (wait > 0.001) await Task.Delay(TimeSpan.FromSeconds(wait), ct);
                    probes.Add(TakedownProbe.RunAsync(client, targets[i], ServingLoad.K, TimeSpan.FromSeconds(s.TakedownPatienceSeconds)));
                }
            }, ct);
            await Load("during takedowns", Math.Max(1, takedownWindow + 2));
            await probing;
            var takedowns = await Task.WhenAll(probes);
            var reached = takedowns.Where(t => t.ReachMs is not null).Select(t => t.ReachMs!.Value).ToArray();
            // A takedown that never left within the patience counts as the patience, so p99 is not flattered.
            var reachAll = takedowns.Select(t => t.ReachMs ?? s.TakedownPatienceSeconds * 1000).ToArray();
            var takedownP99 = Percentiles.NearestRank(reachAll, 0.99);
            console.MarkupLineInterpolated($"  takedowns: {reached.Length} of {takedowns.Length} left every answer; from return to the first answer without it p50 {Percentiles.NearestRank(reachAll, 0.5):F1} p99 {takedownP99:F1} max {reachAll.DefaultIfEmpty(0).Max():F1} ms; stale answers {takedowns.Sum(t => t.StaleAnswers)}.");

            var loadAtEnd = ProcessStats.LoadAverage();
            var ratio = baseline.P99Ms > 0 ? during.P99Ms / baseline.P99Ms : (double?)null;
            var goals = new (string Goal, double? Measured, string Target, bool Pass)[]
            {
                ("recommend p99 during the puts (ms)", during.P99Ms, $"< {s.Goals.P99Ms}", during.P99Ms < s.Goals.P99Ms && during.Failures == 0),
                ("p99 during puts / p99 without", ratio, $"<= {s.Goals.MaxP99Ratio}", ratio is { } r && r <= s.Goals.MaxP99Ratio),
                ("served recall@10 at the end", recall, $">= {s.Goals.MinRecall}", recalls.Length > 0 && recall >= s.Goals.MinRecall),
                ("takedown reach p99 (ms)", takedownP99, $"<= {s.Goals.TakedownP99Ms}", takedowns.Length > 0 && takedownP99 <= s.Goals.TakedownP99Ms),
                ("movies put", puts.Changes.Count, $"= {s.Puts}", puts.Changes.Count == s.Puts),
            };
            console.Write(PhaseTable(phases));
            console.Write(GoalTable(goals));
            var cpu = MachineDescription.CpuModel();
            console.MarkupLineInterpolated($"CPU {cpu}, {Environment.ProcessorCount} cores; SIMD path {BenchTools.SimdPath()}; vector instructions {MachineDescription.VectorInstructions()}; load average {BenchTools.F(loadAtStart, "F1")} at the start, {BenchTools.F(loadAtEnd, "F1")} at the end.");

            var json = await BenchmarkReport.HeadAsync("live-catalogue", name, startedUtc, root, ct);
            json["artifact"] = GeneratedArtifact.Describe(made.Folder, artifact, s.Movies, s.Users, s.Dim, SyntheticData.Clustered, s.Seed, made.Reused, generateSeconds, loadSeconds);
            json["settings"] = new JsonObject
            {
                ["index"] = label,
                ["shards"] = s.Shards,
                ["userShards"] = s.UserShards,
                ["userPool"] = s.UserPool > 0 ? s.UserPool : null,
                ["k"] = ServingLoad.K,
                ["recommendRps"] = s.Rps,
                ["warmupSeconds"] = s.WarmupSeconds,
                ["baselineSeconds"] = s.BaselineSeconds,
                ["puts"] = s.Puts,
                ["putRps"] = s.PutRps,
                ["putConcurrency"] = s.PutConcurrency,
                ["concurrency"] = s.Rules.Concurrency,
                ["timeoutMs"] = s.Rules.TimeoutMs,
                ["recallSample"] = s.RecallSample,
                ["takedowns"] = s.Takedowns,
                ["takedownRps"] = s.TakedownRps,
                ["takedownPatienceSeconds"] = s.TakedownPatienceSeconds,
                ["method"] = "One silo process (its own ports and store), the artifact published through a real Orleans client. Recommendations: the load generator's open loop "
                    + "(one attempt per request, latency from when a request was due, users from the --user-pool with the recall sample spread among them). "
                    + "Puts: open loop too (latency from when a put was due), new ids above the catalogue's, generated genres, year and title; the recommendation load "
                    + "during them lasts puts / put rate seconds. Takedowns: of a movie in a sampled user's answer at the end (one per user), under the same recommendation "
                    + "load; reach = from the TakeDown call's return to the arrival of the first answer for that user without the movie, asking again at once.",
            };
            json["publish"] = new JsonObject
            {
                ["seconds"] = Math.Round(publishSeconds, 1),
                ["moviesSeconds"] = Math.Round(moviesSeconds, 1),
                ["shardTiers"] = tiers,
                ["siloRssAfterPublishMb"] = R(rssPublished / 1e6, 0),
            };
            json["phases"] = new JsonArray([.. phases.Select(p => (JsonNode)Phase(p.Row, p.SiloCores))]);
            json["puts"] = new JsonObject
            {
                ["asked"] = puts.Asked,
                ["added"] = puts.Changes.Count,
                ["failures"] = puts.Failures,
                ["firstError"] = puts.FirstError,
                ["p50Ms"] = Math.Round(puts.P50Ms, 2),
                ["p99Ms"] = Math.Round(puts.P99Ms, 2),
                ["maxMs"] = Math.Round(puts.MaxMs, 2),
                ["achievedRps"] = Math.Round(puts.AchievedRps, 1),
                ["seconds"] = Math.Round(puts.Seconds, 1),
                ["recommendLoadSeconds"] = Math.Round(putWindow, 1),
            };
            json["recall"] = new JsonObject
            {
                ["users"] = recalls.Length,
                ["recallAt10"] = Math.Round(recall, 4),
                ["recallAt10Min"] = Math.Round(recalls.DefaultIfEmpty(0).Min(), 2),
                ["truthFrom"] = puts.Failures == 0 ? "the changes the puts returned" : "the cluster's live catalogue, read back (some puts timed out here)",
                ["liveChangesInTruth"] = truthChanges,
                ["putMoviesInTruth"] = truthNew,
                ["truthSlots"] = truthSlots,
                ["usersWithPutMoviesInTruth"] = usersWithNew,
                ["putMoviesServed"] = servedNew,
                ["bruteForceSeconds"] = Math.Round(after.Seconds, 1),
                ["rule"] = "After the puts, no other load: each sampled user asked once; |served rows ∩ exact top 10 rows| / 10; exact: brute force over the artifact's float32 rows and every put movie "
                    + "embedded by the artifact's FeatureTowers.EmbedNewMovie at its live row (LiveCatalogueReference.FromChanges), in double precision, seen movies excluded (ExactRecommender).",
            };
            json["takedowns"] = new JsonObject
            {
                ["count"] = takedowns.Length,
                ["ofPutMovies"] = takedowns.Count(t => t.Target.PutLive),
                ["reached"] = reached.Length,
                ["reachP50Ms"] = Math.Round(Percentiles.NearestRank(reachAll, 0.50), 2),
                ["reachP99Ms"] = Math.Round(takedownP99, 2),
                ["reachMaxMs"] = Math.Round(reachAll.DefaultIfEmpty(0).Max(), 2),
                ["callP50Ms"] = Math.Round(Percentiles.NearestRank(takedowns.Select(t => t.CallMs), 0.50), 2),
                ["callP99Ms"] = Math.Round(Percentiles.NearestRank(takedowns.Select(t => t.CallMs), 0.99), 2),
                ["staleAnswers"] = takedowns.Sum(t => t.StaleAnswers),
                ["errors"] = new JsonArray([.. takedowns.Where(t => t.Error is not null).Take(5).Select(t => (JsonNode)JsonValue.Create($"{t.Target.MovieId}: {t.Error}"))]),
                ["silos"] = 1,
            };
            json["goals"] = new JsonArray([.. goals.Select(g => (JsonNode)new JsonObject
            {
                ["goal"] = g.Goal,
                ["measured"] = R(g.Measured, 4),
                ["target"] = g.Target,
                ["pass"] = g.Pass,
            })]);
            json["allGoalsMet"] = goals.All(g => g.Pass);
            json["siloPeakRssMb"] = R(silo.Program.PeakRssBytes() / 1e6, 0);
            json["siloProblemLines"] = silo.Program.ProblemCount;
            json["siloProblemExamples"] = new JsonArray([.. silo.Program.Problems.Take(5).Select(l => (JsonNode)JsonValue.Create(l))]);
            json["machine"] = BenchmarkReport.Machine(loadAtStart, loadAtEnd);
            return json;
        }
        finally
        {
            if (silo is not null) await silo.DisposeAsync();
            if (!s.KeepStore)
                try { Directory.Delete(store, true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }

    /// <summary>Runs the step and says how many of the silo's cores it kept busy meanwhile (/proc).</summary>
    private static async Task<(ServeRow Row, double? Cores)> WithSiloCpu(SiloProcess silo, Func<Task<ServeRow>> step)
    {
        var before = silo.Program.CpuSeconds();
        var watch = Stopwatch.StartNew();
        var row = await step();
        var after = silo.Program.CpuSeconds();
        return (row, before is { } b && after is { } a ? (a - b) / watch.Elapsed.TotalSeconds : null);
    }

    /// <summary>Each sampled user's answer now, a few at a time.</summary>
    private static async Task<(int UserRow, Recommendation Answer)[]> AskAllAsync(IGrainFactory grains, ModelArtifact artifact, IReadOnlyList<int> userRows, CancellationToken ct)
    {
        var answers = new (int, Recommendation)[userRows.Count];
        await Parallel.ForEachAsync(Enumerable.Range(0, userRows.Count), new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = ct }, async (i, _) =>
            answers[i] = (userRows[i], await grains.GetGrain<IUserGrain>(artifact.Users[userRows[i]].Id).Recommend(ServingLoad.K)));
        return answers;
    }

    /// <summary>One movie of each user's answer (a seeded position), distinct movies, users in a seeded order, at most <paramref name="count"/>.</summary>
    private static List<TakedownTarget> Targets((int UserRow, Recommendation Answer)[] answers, int itemCount, int count, int seed)
    {
        var random = new Random(seed + 5);
        var chosen = new List<TakedownTarget>();
        var movies = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (_, answer) in answers.OrderBy(_ => random.Next()))
        {
            if (chosen.Count >= count) break;
            if (answer.Movies.Length == 0) continue;
            var movie = answer.Movies[random.Next(answer.Movies.Length)];
            if (movies.Add(movie.Id)) chosen.Add(new TakedownTarget(movie.Id, movie.Row, movie.Row >= itemCount, answer.UserId));
        }
        return chosen;
    }

    private static JsonObject Phase(ServeRow row, double? siloCores)
    {
        var json = row.ToJson();
        foreach (var key in new[] { "inProcessCpuMsPerRecommendation", "cpuRatioSiloOverInProcess", "cpuRatioNetOfIdle", "siloCpuMsPerRecommendationNetOfIdle", "sustained", "miss" })
            json.Remove(key);
        // The recall of the sampled users' answers during the step, against the truth before any put.
        json["recallAt10BeforePuts"] = json["recallAt10"]?.DeepClone();
        json.Remove("recallAt10");
        json["siloCores"] = R(siloCores, 2);
        return json;
    }

    private static Table PhaseTable(List<(string Phase, ServeRow Row, double? SiloCores)> phases)
    {
        var table = new Table().Title("live-catalogue: recommendations per phase (one silo, open loop)");
        foreach (var column in new[] { "phase", "target req/s", "achieved", "p50 ms", "p99 ms", "max ms", "failures", "silo cores", "silo RSS MB" })
            table.AddColumn(new TableColumn(column).RightAligned());
        foreach (var (phase, r, cores) in phases)
            table.AddRow(phase, r.TargetRps.ToString("F0", CultureInfo.InvariantCulture), r.Rps.ToString("F0", CultureInfo.InvariantCulture),
                r.P50Ms.ToString("F1", CultureInfo.InvariantCulture), r.P99Ms.ToString("F1", CultureInfo.InvariantCulture), r.MaxMs.ToString("F0", CultureInfo.InvariantCulture),
                r.Failures.ToString(CultureInfo.InvariantCulture), BenchTools.F(cores, "F2"), BenchTools.F(r.SiloRssMb, "F0"));
        return table;
    }

    private static Table GoalTable(IEnumerable<(string Goal, double? Measured, string Target, bool Pass)> goals)
    {
        var table = new Table().Title("live-catalogue: goals");
        foreach (var column in new[] { "goal", "measured", "target", "" })
            table.AddColumn(new TableColumn(column).RightAligned());
        foreach (var g in goals)
            table.AddRow(Markup.Escape(g.Goal), BenchTools.F(g.Measured, "F3"), Markup.Escape(g.Target), g.Pass ? "[green]met[/]" : "[red]NOT met[/]");
        return table;
    }

    private static double? R(double? value, int digits) => value is { } v ? Math.Round(v, digits) : null;
}
