using System.Collections.Concurrent;
using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using MovieRecommender.Artifacts;
using MovieRecommender.Benchmarks.Publish;
using MovieRecommender.Cluster;
using MovieRecommender.CommandLine;
using MovieRecommender.Grains;
using MovieRecommender.Operations.Verification;
using Spectre.Console;

namespace MovieRecommender.Benchmarks.Telemetry;

/// <summary>
/// <c>served-recall</c>: the live served recall a silo reports, per index tier, on a large generated catalogue. For
/// each tier a real silo process starts with <c>Index__Kind=TIER</c>, <c>Telemetry__ServedRecall__Share</c> and a
/// Prometheus port; the artifact is published with the trainer's <c>publish</c>; N recommendations for random users
/// are asked through an Orleans client; then the silo's /metrics is read until every background check has been
/// recorded: <c>recommender_served_recall</c> (sum / count = mean recall@K) and
/// <c>recommender_served_recall_check_duration</c> (the checks' cost). For comparison the same answers are checked
/// here against a brute force over the artifact (double precision, seen movies excluded).
/// </summary>
public static class ServedRecallCommand
{
    public static Command Create()
    {
        var movies = new Option<int>("--movies") { Description = "Generated movies.", DefaultValueFactory = _ => 1_000_000 }.Integer(min: 1);
        var users = new Option<int>("--users") { Description = "Generated users (each saw 5 to 20 random movies).", DefaultValueFactory = _ => 10_000 }.Integer(min: 1);
        var dim = new Option<int>("--dim") { Description = "Embedding dimension.", DefaultValueFactory = _ => 64 }.Integer(min: 1, max: 65536);
        var shards = new Option<int>("--shards") { Description = "Candidate shards.", DefaultValueFactory = _ => 16 }.Integer(min: 1, max: 4096);
        var userShards = new Option<int>("--user-shards") { Description = "User shards.", DefaultValueFactory = _ => 4 }.Integer(min: 1, max: 4096);
        var tiers = new Option<string>("--tiers") { Description = "Index tiers, one silo each: exact, int8, pq4, ivf.", DefaultValueFactory = _ => "int8,pq4" };
        var share = new Option<double>("--share") { Description = "Telemetry:ServedRecall:Share (1: every recommendation is checked).", DefaultValueFactory = _ => 1 }.Number(min: 0, max: 1);
        var maxChecks = new Option<int>("--max-concurrent-checks") { Description = "Telemetry:ServedRecall:MaxConcurrentChecks of the silo (its default, 2, skips checks under load; the benchmark wants every answer checked).", DefaultValueFactory = _ => 1000 }.Integer(min: 1);
        var rerank = new Option<int?>("--rerank") { Description = "Index:Rerank (candidates reranked exactly; default: the index's own)." }.Integer(min: 1);
        var requests = new Option<int>("--requests") { Description = "Recommendations asked per tier.", DefaultValueFactory = _ => 1000 }.Integer(min: 1);
        var concurrency = new Option<int>("--concurrency") { Description = "Recommendations in flight.", DefaultValueFactory = _ => 4 }.Integer(min: 1, max: 100_000);
        var k = new Option<int>("--k") { Description = "K of every recommendation.", DefaultValueFactory = _ => 10 }.Integer(min: 1, max: 1000);
        var seed = new Option<int>("--seed") { Description = "Seed of the generated data and of the users asked.", DefaultValueFactory = _ => 42 };
        var independent = new Option<bool>("--no-independent") { Description = "Skip the independent brute-force recall of the same answers." };
        var wait = new Option<double>("--wait-seconds") { Description = "Longest wait for the background checks to be recorded after the last request.", DefaultValueFactory = _ => 300 }.Number(min: 0, max: 86_400);
        var output = new Option<string?>("--out") { Description = "Where the generated artifact and the silo stores go (default: movierecommender-publish-bench under the temp folder, shared with the publish benchmark)." }.FolderToWrite();
        var regenerate = new Option<bool>("--regenerate") { Description = "Write the generated artifact again even when one of the same parameters exists." };
        var json = new Option<string?>("--json") { Description = "JSON output (default bench/results/served-recall-NAME.json)." }.FileToWrite();
        var name = new Option<string?>("--name") { Description = "Result name (default from --movies, e.g. 1m)." };
        var build = new Option<bool>("--build") { Description = "Build src/Silo, src/Client and src/Trainer (Release) first." };

        var command = new Command("served-recall", "Live served recall (the silo's recommender.served_recall metric) per index tier on a generated catalogue, against an independent brute force.")
        {
            movies, users, dim, shards, userShards, tiers, share, maxChecks, rerank, requests, concurrency, k, seed, independent, wait, output, regenerate, json, name, build,
        };
        command.SetAction(async (parsed, ct) =>
        {
            var s = new Settings(parsed.GetValue(movies), parsed.GetValue(users), parsed.GetValue(dim), parsed.GetValue(shards), parsed.GetValue(userShards),
                parsed.GetValue(tiers)!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(t => t.ToLowerInvariant()).ToArray(),
                parsed.GetValue(share), parsed.GetValue(maxChecks), parsed.GetValue(rerank), parsed.GetValue(requests), parsed.GetValue(concurrency), parsed.GetValue(k), parsed.GetValue(seed),
                !parsed.GetValue(independent), parsed.GetValue(wait),
                Path.GetFullPath(parsed.GetValue(output) ?? Path.Combine(Path.GetTempPath(), "movierecommender-publish-bench")),
                parsed.GetValue(regenerate), parsed.GetValue(build));
            if (s.Tiers.Length == 0 || s.Tiers.Any(t => t is not ("exact" or "int8" or "pq4" or "ivf")))
                throw new UserFacingException($"--tiers: each of exact, int8, pq4, ivf (got '{string.Join(",", s.Tiers)}').");
            if (s.Movies < 1 || s.Users < 1 || s.Dim < 1 || s.Shards < 1 || s.UserShards < 1 || s.Requests < 1 || s.Concurrency < 1)
                throw new UserFacingException("--movies, --users, --dim, --shards, --user-shards, --requests and --concurrency must be positive.");
            if (s.Share is < 0 or > 1) throw new UserFacingException("--share must be in [0, 1].");
            if (s.K < 1 || s.K > IUserGrain.MaxK) throw new UserFacingException($"--k must be between 1 and {IUserGrain.MaxK}.");

            if (Console.IsOutputRedirected) AnsiConsole.Profile.Width = 170;
            var resultName = parsed.GetValue(name) ?? (s.Movies % 1_000_000 == 0 ? $"{s.Movies / 1_000_000}m" : s.Movies % 1000 == 0 ? $"{s.Movies / 1000}k" : s.Movies.ToString(CultureInfo.InvariantCulture));
            var result = await RunAsync(s, resultName, AnsiConsole.Console, ct);
            var root = RepositoryRoot.TryFind()!;
            var jsonPath = Path.GetFullPath(parsed.GetValue(json) ?? Path.Combine(root, "bench", "results", $"served-recall-{resultName}.json"));
            await BenchmarkReport.WriteAsync(jsonPath, result, ct);
            return 0;
        });
        return command;
    }

    private sealed record Settings(
        int Movies, int Users, int Dim, int Shards, int UserShards, string[] Tiers, double Share, int MaxChecks, int? Rerank, int Requests, int Concurrency, int K,
        int Seed, bool Independent, double WaitSeconds, string OutRoot, bool Regenerate, bool Build);

    private sealed record Answer(int UserRow, Recommendation? Served, double LatencyMs, string? Error);

    private static async Task<JsonObject> RunAsync(Settings s, string name, IAnsiConsole console, CancellationToken ct)
    {
        var loadAtStart = ProcessStats.LoadAverage();
        var startedUtc = DateTime.UtcNow;
        BenchTools.ScrubOtelEnvironment();
        var tools = await BenchTools.PrepareAsync(s.Build, ct);
        Directory.CreateDirectory(s.OutRoot);

        var watch = Stopwatch.StartNew();
        (string Folder, bool Reused) made = ("", false);
        await console.Status().StartAsync($"Generating {s.Movies:N0} movies and {s.Users:N0} users x {s.Dim} (seed {s.Seed}) under {s.OutRoot} ...",
            _ => { made = GeneratedArtifact.Ensure(s.OutRoot, s.Movies, s.Users, s.Dim, s.Seed, reuse: !s.Regenerate); return Task.CompletedTask; });
        console.MarkupLineInterpolated($"{(made.Reused ? "Reusing" : "Generated")} {made.Folder} ({watch.Elapsed.TotalSeconds:F1} s).");
        var artifact = ModelArtifact.Load(made.Folder);
        var exact = new ExactRecommender(artifact);

        var random = new Random(s.Seed);
        var userRows = Enumerable.Range(0, s.Requests).Select(_ => random.Next(artifact.Users.Count)).ToArray();

        var tierResults = new JsonArray();
        var table = new Table().Title($"served recall@{s.K}: {s.Movies:N0} movies x {s.Dim} in {s.Shards} shards, share {s.Share.ToString(CultureInfo.InvariantCulture)}, {s.Requests} requests per tier").ShowRowSeparators();
        foreach (var column in new[] { "tier", "answered", "checks recorded", "served recall (silo metric)", "independent recall mean / min", "check ms mean / p50 / p99", "request p50 / p99 ms", "publish s", "silo peak RSS MB" })
            table.AddColumn(new TableColumn(column).RightAligned());

        // Brute force of every asked user once (shared by the tiers): the ground truth of the independent recall.
        Dictionary<int, HashSet<int>>? truth = null;
        double truthSeconds = 0;

        foreach (var tier in s.Tiers)
        {
            var store = Path.Combine(s.OutRoot, $"served-recall-store-{tier}-{DateTime.UtcNow:yyyyMMdd-HHmmss}-{Environment.ProcessId}");
            var promPort = Ports.Free();
            var env = new Dictionary<string, string?>(StringComparer.Ordinal)
            {
                ["Index__Kind"] = tier,
                ["Telemetry__ServedRecall__Share"] = s.Share.ToString(CultureInfo.InvariantCulture),
                ["Telemetry__ServedRecall__MaxConcurrentChecks"] = s.MaxChecks.ToString(CultureInfo.InvariantCulture),
                ["Telemetry__PrometheusPort"] = promPort.ToString(CultureInfo.InvariantCulture),
            };
            if (s.Rerank is { } rr) env["Index__Rerank"] = rr.ToString(CultureInfo.InvariantCulture);
            SiloProcess? silo = null;
            try
            {
                silo = await SiloProcess.StartAsync(store, environment: env, siloDll: tools.SiloDll, name: $"silo '{tier}'", readyTimeout: TimeSpan.FromSeconds(120), ct: ct);
                console.MarkupLineInterpolated($"[bold]{tier}[/]: silo pid {silo.ProcessId}, gateway {silo.GatewayPort}, metrics http://localhost:{promPort}/metrics.");
                var gatewayEnv = new Dictionary<string, string> { ["Cluster__GatewayPort"] = silo.GatewayPort.ToString(CultureInfo.InvariantCulture) };
                var publish = await ChildProcess.RunAsync(ChildProcess.DotnetHost(),
                    [tools.ClientDll, "publish", made.Folder, "--shards", s.Shards.ToString(CultureInfo.InvariantCulture), "--user-shards", s.UserShards.ToString(CultureInfo.InvariantCulture)],
                    tools.Root, gatewayEnv, ct);
                if (publish.ExitCode != 0) throw new UserFacingException($"publish into the {tier} silo failed (exit {publish.ExitCode}): {publish.Tail()}\n{silo.Program.Tail(10)}");
                console.MarkupLineInterpolated($"  published {artifact.Manifest.Version} in {publish.WallSeconds:F1} s.");

                using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
                var metricsUrl = $"http://localhost:{promPort.ToString(CultureInfo.InvariantCulture)}/metrics";
                var before = await ScrapeAsync(http, metricsUrl, ct);
                var countBefore = RecallHistograms(before).Sum(h => h.Count);
                var skippedBefore = Skipped(before);

                // The requests.
                var answers = new ConcurrentBag<Answer>();
                var requestWatch = Stopwatch.StartNew();
                await using (var connection = await ClusterConnection.ConnectAsync(ct, gatewayPortOverride: silo.GatewayPort))
                {
                    await Parallel.ForEachAsync(userRows, new ParallelOptions { MaxDegreeOfParallelism = s.Concurrency, CancellationToken = ct }, async (row, token) =>
                    {
                        var started = Stopwatch.GetTimestamp();
                        try
                        {
                            var served = await connection.Client.GetGrain<IUserGrain>(artifact.Users[row].Id).Recommend(s.K);
                            answers.Add(new Answer(row, served, Stopwatch.GetElapsedTime(started).TotalMilliseconds, null));
                        }
                        catch (Exception e) when (e is not OperationCanceledException || !token.IsCancellationRequested)
                        {
                            answers.Add(new Answer(row, null, Stopwatch.GetElapsedTime(started).TotalMilliseconds, $"{e.GetType().Name}: {e.Message.Split('\n')[0]}"));
                        }
                    });
                }
                var requestSeconds = requestWatch.Elapsed.TotalSeconds;
                var answered = answers.Where(a => a.Served is not null).ToArray();
                console.MarkupLineInterpolated($"  {answered.Length}/{s.Requests} answered in {requestSeconds:F1} s; waiting for the background checks ...");

                // The background checks: wait until every expected one is recorded, or the count stops moving.
                var expected = s.Share >= 1 ? answered.Length : (double?)null;
                var waitWatch = Stopwatch.StartNew();
                List<PrometheusSample> after = before;
                double lastCount = -1;
                var lastChange = Stopwatch.StartNew();
                while (true)
                {
                    after = await ScrapeAsync(http, metricsUrl, ct);
                    var count = RecallHistograms(after).Sum(h => h.Count) - countBefore + Skipped(after) - skippedBefore;
                    if (count != lastCount) { lastCount = count; lastChange.Restart(); }
                    if (expected is { } e && count >= e) break;
                    if (expected is null && lastChange.Elapsed > TimeSpan.FromSeconds(10)) break;
                    if (lastChange.Elapsed > TimeSpan.FromSeconds(30) || waitWatch.Elapsed.TotalSeconds > s.WaitSeconds) break;
                    await Task.Delay(1000, ct);
                }
                var waitSeconds = waitWatch.Elapsed.TotalSeconds;
                var recall = RecallHistograms(after);
                var checks = PrometheusText.Histograms(after, "recommender_served_recall_check");
                var recallCount = recall.Sum(h => h.Count);
                var skipped = Skipped(after) - skippedBefore;
                var recallSum = recall.Sum(h => h.Sum);
                double? servedRecall = recallCount > 0 ? recallSum / recallCount : null;
                var checkCount = checks.Sum(h => h.Count);
                double? checkMean = checkCount > 0 ? checks.Sum(h => h.Sum) / checkCount : null;
                var mainCheck = checks.OrderByDescending(h => h.Count).FirstOrDefault();
                console.MarkupLineInterpolated($"  {recallCount} checks recorded ({skipped} skipped) after {waitSeconds:F1} s; served recall {BenchTools.F(servedRecall, "F4")}; check {BenchTools.F(checkMean, "F1")} ms mean.");
                var peakRss = silo.Program.PeakRssBytes();
                var siloCpu = silo.Program.CpuSeconds();

                // The independent recall of the same answers.
                double? independentMean = null, independentMin = null;
                int independentUsers = 0;
                if (s.Independent && answered.Length > 0)
                {
                    if (truth is null)
                    {
                        var truthWatch = Stopwatch.StartNew();
                        var distinct = userRows.Distinct().ToArray();
                        var computed = new ConcurrentDictionary<int, HashSet<int>>();
                        await console.Status().StartAsync($"Brute force of {distinct.Length} users over {s.Movies:N0} movies ...", _ =>
                        {
                            Parallel.ForEach(distinct, new ParallelOptions { CancellationToken = ct }, row =>
                                computed[row] = exact.TopK(row, s.K).Select(p => p.Row).ToHashSet());
                            return Task.CompletedTask;
                        });
                        truth = new Dictionary<int, HashSet<int>>(computed);
                        truthSeconds = truthWatch.Elapsed.TotalSeconds;
                        console.MarkupLineInterpolated($"  brute force of {distinct.Length} users in {truthSeconds:F1} s.");
                    }
                    var recalls = answered.Select(a => (double)a.Served!.Movies.Count(m => truth[a.UserRow].Contains(m.Row)) / Math.Max(1, truth[a.UserRow].Count)).ToArray();
                    independentMean = recalls.Average();
                    independentMin = recalls.Min();
                    independentUsers = recalls.Length;
                }

                var latencies = answered.Select(a => a.LatencyMs).Order().ToArray();
                double? P(double q) => latencies.Length == 0 ? null : latencies[Math.Min(latencies.Length - 1, (int)Math.Ceiling(q * latencies.Length) - 1)];
                table.AddRow(
                    tier,
                    $"{answered.Length}/{s.Requests}",
                    $"{recallCount:F0}",
                    BenchTools.F(servedRecall, "F4"),
                    independentMean is null ? "-" : $"{independentMean:F4} / {independentMin:F2}",
                    $"{BenchTools.F(checkMean, "F1")} / {BenchTools.F(mainCheck?.Quantile(0.5), "F1")} / {BenchTools.F(mainCheck?.Quantile(0.99), "F1")}",
                    $"{BenchTools.F(P(0.5), "F1")} / {BenchTools.F(P(0.99), "F1")}",
                    publish.WallSeconds.ToString("F1", CultureInfo.InvariantCulture),
                    BenchTools.F(peakRss / 1e6, "F0"));

                tierResults.Add(new JsonObject
                {
                    ["tier"] = tier,
                    ["siloEnvironment"] = new JsonObject(env.Select(p => KeyValuePair.Create(p.Key, (JsonNode?)JsonValue.Create(p.Value)))),
                    ["publishSeconds"] = Math.Round(publish.WallSeconds, 2),
                    ["requests"] = s.Requests,
                    ["answered"] = answered.Length,
                    ["failed"] = s.Requests - answered.Length,
                    ["failureExamples"] = new JsonArray([.. answers.Where(a => a.Error is not null).Take(5).Select(a => (JsonNode)JsonValue.Create(a.Error!))]),
                    ["partialAnswers"] = answered.Count(a => a.Served!.ShardsAnswered < a.Served.ShardCount),
                    ["requestSeconds"] = Math.Round(requestSeconds, 2),
                    ["requestP50Ms"] = Round(P(0.5), 2),
                    ["requestP99Ms"] = Round(P(0.99), 2),
                    ["servedRecall"] = new JsonObject
                    {
                        ["metric"] = recall.Select(h => h.BaseName).Distinct().FirstOrDefault(),
                        ["checksRecorded"] = recallCount,
                        ["checksExpected"] = expected,
                        ["checksSkipped"] = skipped,
                        ["mean"] = Round(servedRecall, 5),
                        ["waitSeconds"] = Math.Round(waitSeconds, 1),
                        ["series"] = new JsonArray([.. recall.Select(h => (JsonNode)new JsonObject
                        {
                            ["labels"] = new JsonObject(h.Labels.Select(p => KeyValuePair.Create(p.Key, (JsonNode?)JsonValue.Create(p.Value)))),
                            ["count"] = h.Count,
                            ["sum"] = Round(h.Sum, 4),
                            ["mean"] = Round(h.Mean, 5),
                            ["buckets"] = new JsonArray([.. h.Buckets.Select(b => (JsonNode)new JsonArray(double.IsPositiveInfinity(b.Le) ? "+Inf" : b.Le, b.Count))]),
                        })]),
                    },
                    ["checkDuration"] = new JsonObject
                    {
                        ["metric"] = checks.Select(h => h.BaseName).Distinct().FirstOrDefault(),
                        ["count"] = checkCount,
                        ["meanMs"] = Round(checkMean, 3),
                        ["p50MsEstimate"] = Round(mainCheck?.Quantile(0.5), 3),
                        ["p99MsEstimate"] = Round(mainCheck?.Quantile(0.99), 3),
                        ["note"] = "Quantiles estimated from the histogram's buckets (linear within a bucket).",
                    },
                    ["independentRecall"] = s.Independent ? new JsonObject
                    {
                        ["answers"] = independentUsers,
                        ["mean"] = Round(independentMean, 5),
                        ["min"] = Round(independentMin, 5),
                        ["rule"] = "|served rows ∩ brute-force top K rows| / K; the brute force over the artifact's float32 rows in double precision, the user's seen movies excluded (ExactRecommender).",
                    } : null,
                    ["siloPeakRssMb"] = peakRss is { } rss ? Math.Round(rss / 1e6) : null,
                    ["siloCpuSeconds"] = Round(siloCpu, 2),
                    ["siloProblemLines"] = silo.Program.ProblemCount,
                    ["siloProblemExamples"] = new JsonArray([.. silo.Program.Problems.Take(5).Select(l => (JsonNode)JsonValue.Create(l))]),
                });
            }
            finally
            {
                if (silo is not null) await silo.DisposeAsync();
                try { Directory.Delete(store, true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
            }
        }

        console.Write(table);
        console.MarkupLineInterpolated($"CPU {MachineDescription.CpuModel()}, {Environment.ProcessorCount} cores; SIMD path {BenchTools.SimdPath()}.");
        var loadAtEnd = ProcessStats.LoadAverage();
        return new JsonObject
        {
            ["benchmark"] = "served-recall",
            ["name"] = name,
            ["startedUtc"] = startedUtc.ToString("O", CultureInfo.InvariantCulture),
            ["commit"] = await RepositoryRoot.CommitAsync(tools.Root, ct),
            ["artifact"] = new JsonObject
            {
                ["folder"] = made.Folder,
                ["version"] = artifact.Manifest.Version,
                ["movies"] = s.Movies,
                ["users"] = s.Users,
                ["dimension"] = s.Dim,
                ["seed"] = s.Seed,
                ["generated"] = "seeded Gaussian embeddings (GeneratedArtifact): no trained structure, a hard case for quantization",
            },
            ["settings"] = new JsonObject
            {
                ["shards"] = s.Shards,
                ["userShards"] = s.UserShards,
                ["share"] = s.Share,
                ["maxConcurrentChecks"] = s.MaxChecks,
                ["rerank"] = s.Rerank,
                ["requestsPerTier"] = s.Requests,
                ["concurrency"] = s.Concurrency,
                ["k"] = s.K,
            },
            ["method"] = "Per tier: a real silo process (Index__Kind, Telemetry__ServedRecall__Share, Telemetry__PrometheusPort), the artifact published with 'client publish', "
                + "N recommendations of random users through an Orleans client, then the silo's /metrics read until every check was recorded. "
                + "Independent recall: the same answers against a brute force over the artifact, computed in this process.",
            ["bruteForceSeconds"] = Math.Round(truthSeconds, 2),
            ["tiers"] = tierResults,
            ["machine"] = BenchmarkReport.Machine(loadAtStart, loadAtEnd),
        };
    }

    /// <summary>The recommender.served_recall.skipped counter (any unit suffix), summed over its series.</summary>
    private static double Skipped(List<PrometheusSample> samples) =>
        samples.Where(x => x.Name.StartsWith("recommender_served_recall_skipped", StringComparison.Ordinal) && !double.IsNaN(x.Value)).Sum(x => x.Value);

    private static List<PrometheusHistogram> RecallHistograms(List<PrometheusSample> samples) =>
        PrometheusText.Histograms(samples, "recommender_served_recall", baseName => baseName.StartsWith("recommender_served_recall_check", StringComparison.Ordinal));

    private static async Task<List<PrometheusSample>> ScrapeAsync(HttpClient http, string url, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return PrometheusText.Parse(await http.GetStringAsync(url, ct));
            }
            catch (HttpRequestException) when (attempt < 10)
            {
                await Task.Delay(500, ct);
            }
            catch (HttpRequestException e)
            {
                throw new UserFacingException($"could not read {url}: {e.Message} (is Telemetry:PrometheusPort honoured?)", e);
            }
        }
    }

    private static double? Round(double? value, int digits) => value is { } v ? Math.Round(v, digits) : null;
}
