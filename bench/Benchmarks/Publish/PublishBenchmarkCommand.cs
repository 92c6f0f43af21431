using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using MovieRecommender.Artifacts;
using MovieRecommender.Cluster;
using MovieRecommender.CommandLine;
using MovieRecommender.Grains;
using MovieRecommender.Operations.Publishing;
using Spectre.Console;

namespace MovieRecommender.Benchmarks.Publish;

/// <summary>
/// <c>publish</c>: starts the real silo program on free ports with a fresh model store, publishes a small warm-up
/// version, then publishes the target artifact (an existing one, or seeded generated embeddings) while a few callers
/// ask for recommendations of the warm-up's users in a loop; times artifact load + verify, push (chunks, seals, the
/// activation) and the total, counts recommendations and failures during the publish, checks a sample of users
/// against brute force, reads the silo's peak RSS; prints a table and writes JSON. The silo is killed at the end.
/// </summary>
public static class PublishBenchmarkCommand
{

    public static Command Create()
    {
        var artifactDir = new Option<string?>("--artifact") { Description = "Publish this artifact folder (e.g. the folder 'train' printed); else one is generated from --movies, --users and --dim." }.ExistingFolder();
        var movies = new Option<int>("--movies") { Description = "Generated movies.", DefaultValueFactory = _ => 1_000_000 }.Integer(min: 1);
        var users = new Option<int>("--users") { Description = "Generated users (each saw 5 to 20 random movies).", DefaultValueFactory = _ => 1_000_000 }.Integer(min: 1);
        var dim = new Option<int>("--dim") { Description = "Generated embedding dimension.", DefaultValueFactory = _ => 64 }.Integer(min: 1, max: 65536);
        var seed = new Option<int>("--seed") { Description = "Seed of the generated data, the load's user choice and the sample.", DefaultValueFactory = _ => 42 };
        var output = new Option<string?>("--out") { Description = "Where generated artifacts and the silo's model store go (default: movierecommender-publish-bench under the temp folder)." }.FolderToWrite();
        var regenerate = new Option<bool>("--regenerate") { Description = "Write the generated artifact again even when one of the same parameters is under --out." };
        var shards = new Option<int?>("--shards") { Description = "Candidate shards (default: 4 with --artifact, as the product does; 16 for generated data)." }.Integer(min: 1, max: 4096);
        var userShards = new Option<int?>("--user-shards") { Description = "User shards (default: 4 with --artifact; 16 for generated data)." }.Integer(min: 1, max: 4096);
        var chunkMb = new Option<double>("--chunk-mb") { Description = "Vector payload per push message, MB (the product's default is 4).", DefaultValueFactory = _ => 4 }.Number(min: 0, max: 64, above: true);
        var callers = new Option<int>("--callers") { Description = "Concurrent recommendation callers during the publish.", DefaultValueFactory = _ => 4 }.Integer(min: 0, max: 1024);
        var k = new Option<int>("--k") { Description = "K of every recommendation asked.", DefaultValueFactory = _ => 10 }.Integer(min: 1, max: 1000);
        var checkUsers = new Option<int>("--check-users") { Description = "Users checked against brute force after the activation (all when there are fewer).", DefaultValueFactory = _ => 200 };
        var tail = new Option<double>("--tail-seconds") { Description = "Seconds the callers go on after the activation, across the version switch.", DefaultValueFactory = _ => 2 }.Number(min: 0, max: 3600);
        var name = new Option<string?>("--name") { Description = "Result name: bench/results/publish-NAME.json (default: from the dataset)." };
        var json = new Option<string?>("--json") { Description = "JSON output path (default bench/results/publish-NAME.json under the repository)." }.FileToWrite();
        var noBuild = new Option<bool>("--no-build") { Description = "Use the silo already built in src/Silo/bin/Release instead of building it first." };
        var keepStore = new Option<bool>("--keep-store") { Description = "Keep the silo's model store folder afterwards (it is deleted by default)." };

        var command = new Command("publish", "Time publishing an artifact to a real silo under recommendation load, and check the result against brute force.")
        {
            artifactDir, movies, users, dim, seed, output, regenerate, shards, userShards, chunkMb, callers, k, checkUsers, tail, name, json, noBuild, keepStore,
        };
        command.SetAction(async (parsed, ct) =>
        {
            var artifact = parsed.GetValue(artifactDir);
            var generated = string.IsNullOrWhiteSpace(artifact);
            var settings = new PublishBenchmarkSettings(
                Artifact: generated ? null : Path.GetFullPath(artifact!),
                Movies: parsed.GetValue(movies),
                Users: parsed.GetValue(users),
                Dimension: parsed.GetValue(dim),
                Seed: parsed.GetValue(seed),
                OutRoot: Path.GetFullPath(parsed.GetValue(output) ?? Path.Combine(Path.GetTempPath(), "movierecommender-publish-bench")),
                Regenerate: parsed.GetValue(regenerate),
                Shards: parsed.GetValue(shards) ?? (generated ? 16 : 4),
                UserShards: parsed.GetValue(userShards) ?? (generated ? 16 : 4),
                ChunkBytes: (int)Math.Round(parsed.GetValue(chunkMb) * (1 << 20)),
                Callers: parsed.GetValue(callers),
                K: parsed.GetValue(k),
                CheckUsers: parsed.GetValue(checkUsers),
                TailSeconds: parsed.GetValue(tail),
                Build: !parsed.GetValue(noBuild),
                KeepStore: parsed.GetValue(keepStore));
            Validate(settings);

            var root = RepositoryRoot.TryFind()
                ?? throw new UserFacingException($"cannot find the repository ({RepositoryRoot.SolutionFile}) above {Directory.GetCurrentDirectory()}; run from inside it.");
            var resultName = parsed.GetValue(name) ?? DefaultName(settings);
            var jsonPath = Path.GetFullPath(parsed.GetValue(json) ?? Path.Combine(root, "bench", "results", $"publish-{resultName}.json"));

            if (Console.IsOutputRedirected) AnsiConsole.Profile.Width = 160;
            var result = await RunAsync(settings, root, resultName, AnsiConsole.Console, ct);
            await BenchmarkReport.WriteAsync(jsonPath, result, ct);
            if (result["error"] is { } error) throw new UserFacingException(error.GetValue<string>());
            var failures = result["duringPublish"]!["failures"]!.GetValue<long>();
            if (failures > 0) AnsiConsole.MarkupLineInterpolated($"[red]{failures} recommendations failed during the publish.[/]");
            return failures == 0 ? 0 : CommandRunner.Failure;
        });
        return command;
    }

    private sealed record PublishBenchmarkSettings(
        string? Artifact, int Movies, int Users, int Dimension, int Seed, string OutRoot, bool Regenerate,
        int Shards, int UserShards, int ChunkBytes, int Callers, int K, int CheckUsers, double TailSeconds, bool Build, bool KeepStore)
    {
        public bool Generated => Artifact is null;
    }

    private static void Validate(PublishBenchmarkSettings s)
    {
        if (s.Artifact is { } dir && !File.Exists(Path.Combine(dir, ModelManifest.FileName)))
            throw new UserFacingException($"{dir}: not an artifact folder (no {ModelManifest.FileName}); pass the folder 'train' printed on its last line.");
        if (s.Generated)
        {
            if (s.Movies < 1) throw new UserFacingException($"--movies must be at least 1 (got {s.Movies}).");
            if (s.Users < 1) throw new UserFacingException($"--users must be at least 1 (got {s.Users}).");
            if (s.Dimension < 1) throw new UserFacingException($"--dim must be at least 1 (got {s.Dimension}).");
            if ((long)Math.Max(s.Movies, s.Users) * s.Dimension > Array.MaxLength)
                throw new UserFacingException($"{Math.Max(s.Movies, s.Users)} x {s.Dimension} floats do not fit one .NET array; lower --movies/--users or --dim.");
        }
        if (s.Shards < 1) throw new UserFacingException($"--shards must be at least 1 (got {s.Shards}).");
        if (s.UserShards < 1) throw new UserFacingException($"--user-shards must be at least 1 (got {s.UserShards}).");
        if (s.ChunkBytes < 1024) throw new UserFacingException("--chunk-mb must be at least 1 KiB (0.001).");
        if (s.Callers < 0) throw new UserFacingException($"--callers must be 0 or more (got {s.Callers}).");
        if (s.K < 1 || s.K > IUserGrain.MaxK) throw new UserFacingException($"--k must be between 1 and {IUserGrain.MaxK} (got {s.K}).");
        if (s.CheckUsers < 0) throw new UserFacingException($"--check-users must be 0 or more (got {s.CheckUsers}).");
        if (s.TailSeconds < 0) throw new UserFacingException($"--tail-seconds must be 0 or more (got {s.TailSeconds}).");
    }

    private static string DefaultName(PublishBenchmarkSettings s)
    {
        if (s.Generated) return $"generated-{Short(s.Movies)}-movies-{Short(s.Users)}-users-d{s.Dimension}";
        var manifest = ModelManifest.FromJson(File.ReadAllText(Path.Combine(s.Artifact!, ModelManifest.FileName)), s.Artifact!);
        var dataset = string.Concat(manifest.Dataset.ToLowerInvariant().Select(c => char.IsLetterOrDigit(c) || c is '-' or '.' ? c : '-'));
        return dataset.Length > 0 ? dataset : "artifact";
    }

    private static string Short(int n) =>
        n % 1_000_000 == 0 ? $"{n / 1_000_000}m" : n % 1000 == 0 ? $"{n / 1000}k" : n.ToString(CultureInfo.InvariantCulture);

    private static async Task<JsonObject> RunAsync(PublishBenchmarkSettings s, string root, string resultName, IAnsiConsole console, CancellationToken ct)
    {
        var loadAtStart = ProcessStats.LoadAverage();
        var siloDll = await BenchmarkReport.EnsureBuiltAsync(root, "Silo", "the silo", s.Build, console, ct);
        Directory.CreateDirectory(s.OutRoot);

        // The target artifact: given, or generated (once; reused later unless --regenerate).
        string targetDir;
        double? generateSeconds = null;
        var reusedGenerated = false;
        if (s.Artifact is { } given) targetDir = given;
        else
        {
            var watch = Stopwatch.StartNew();
            (string Folder, bool Reused) made = ("", false);
            await console.Status().StartAsync($"Generating {s.Movies:N0} movies and {s.Users:N0} users x {s.Dimension} (seed {s.Seed}) under {s.OutRoot} ...",
                _ => { made = GeneratedArtifact.Ensure(s.OutRoot, s.Movies, s.Users, s.Dimension, s.Seed, reuse: !s.Regenerate); return Task.CompletedTask; });
            targetDir = made.Folder;
            reusedGenerated = made.Reused;
            if (!made.Reused) generateSeconds = watch.Elapsed.TotalSeconds;
            console.MarkupLineInterpolated($"{(made.Reused ? "Reusing" : "Generated")} {targetDir}{(made.Reused ? "" : $" in {watch.Elapsed.TotalSeconds:F1} s")}.");
        }

        // The warm-up: a small version of its own, so the callers have an active version while the target is pushed.
        var warmupDimension = s.Generated ? s.Dimension : 32;
        var (warmupDir, _) = GeneratedArtifact.Ensure(Path.Combine(s.OutRoot, "warmup"), 2000, 1000, warmupDimension, s.Seed + 1, reuse: true);
        var warmup = ModelArtifact.Load(warmupDir);

        var store = Path.Combine(s.OutRoot, $"store-{DateTime.UtcNow:yyyyMMdd-HHmmss}-{Environment.ProcessId}");
        Directory.CreateDirectory(store);
        SiloProcess? silo = null;
        ClusterConnection? connection = null;
        try
        {
            var startWatch = Stopwatch.StartNew();
            silo = await SiloProcess.StartAsync(store, siloDll: siloDll, readyTimeout: TimeSpan.FromSeconds(120), ct: ct);
            var siloStartSeconds = startWatch.Elapsed.TotalSeconds;
            console.MarkupLineInterpolated($"Silo pid {silo.ProcessId} ready in {siloStartSeconds:F1} s (gateway {silo.GatewayPort}, silo port {silo.SiloPort}, store {store}).");
            connection = await ClusterConnection.ConnectAsync(ct, gatewayPortOverride: silo.GatewayPort);
            var client = connection.Client;

            var warmWatch = Stopwatch.StartNew();
            await new ArtifactPublisher(client).PublishAsync(warmup, new PublishOptions { CandidateShards = 2, UserShards = 2 }, null, ct);
            var first = await client.GetGrain<IUserGrain>(warmup.Users[0].Id).Recommend(s.K);
            if (first.ModelVersion != warmup.Manifest.Version)
                throw new UserFacingException($"after the warm-up publish, user {warmup.Users[0].Id} was served by {first.ModelVersion}, not {warmup.Manifest.Version}.");
            console.MarkupLineInterpolated($"Warm-up version {warmup.Manifest.Version} ({warmup.Items.Count} movies, {warmup.Users.Count} users x {warmupDimension}) published in {warmWatch.Elapsed.TotalSeconds:F2} s.");
            var siloRssBefore = silo.Program.RssBytes();

            // The load: callers asking for the warm-up's users until the publish has ended (plus the tail).
            using var stopLoad = new CancellationTokenSource();
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(stopLoad.Token, ct);
            var load = new RecommendLoad(client, [.. warmup.Users.Select(u => u.Id)], s.Callers, s.K, s.Seed);
            var loadTask = s.Callers > 0 ? load.RunAsync(linked.Token) : Task.FromResult(new LoadReport(0, 0, 0, 0, 0, 0, new Dictionary<string, long>(), new Dictionary<string, long>(), [], new Dictionary<string, VersionLatency>()));

            ModelArtifact target = null!;
            ModelVersionInfo published = null!;
            double loadSeconds = 0, pushSeconds = 0, totalSeconds = 0;
            PublishProgressTracker tracker = null!;
            Exception? publishError = null;
            var totalWatch = Stopwatch.StartNew();
            try
            {
                await console.Progress()
                    .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new SpinnerColumn())
                    .StartAsync(async ctx =>
                    {
                        var loadBar = ctx.AddTask("load + verify artifact", maxValue: 1);
                        var moviesBar = ctx.AddTask("movies", autoStart: false);
                        var usersBar = ctx.AddTask("users", autoStart: false);
                        var sealBar = ctx.AddTask("seal users + activate", autoStart: false, maxValue: 1);
                        var loadWatch = Stopwatch.StartNew();
                        target = await Task.Run(() => ModelArtifact.Load(targetDir), ct);
                        loadSeconds = loadWatch.Elapsed.TotalSeconds;
                        loadBar.Value = 1;
                        loadBar.StopTask();

                        var options = new PublishOptions { CandidateShards = s.Shards, UserShards = s.UserShards, ChunkBytes = s.ChunkBytes };
                        moviesBar.MaxValue = target.Items.Count;
                        usersBar.MaxValue = target.Users.Count;
                        moviesBar.StartTask();
                        tracker = new PublishProgressTracker();
                        var pushWatch = Stopwatch.StartNew();
                        var push = new ArtifactPublisher(client).PublishAsync(target, options, tracker, ct);
                        while (!push.IsCompleted)
                        {
                            await Task.WhenAny(push, Task.Delay(250, ct));
                            moviesBar.Value = tracker.MoviesDone;
                            if (tracker.UsersDone > 0 && !usersBar.IsStarted) { moviesBar.StopTask(); usersBar.StartTask(); }
                            usersBar.Value = tracker.UsersDone;
                            if (tracker.UsersDone >= target.Users.Count && !sealBar.IsStarted) { usersBar.StopTask(); sealBar.StartTask(); }
                            var caption = $"{load.Requests:N0} recs, {load.Failures:N0} failed";
                            moviesBar.Description = $"movies ({caption})";
                            ctx.Refresh();
                        }
                        published = await push;
                        pushSeconds = pushWatch.Elapsed.TotalSeconds;
                        sealBar.Value = 1;
                        foreach (var bar in new[] { moviesBar, usersBar, sealBar }) bar.StopTask();
                    });
                totalSeconds = totalWatch.Elapsed.TotalSeconds;
                if (s.TailSeconds > 0) await Task.Delay(TimeSpan.FromSeconds(s.TailSeconds), ct);
            }
            catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
            {
                publishError = e;
            }
            finally
            {
                await stopLoad.CancelAsync();
            }
            var during = await loadTask;
            var siloPeak = silo.Program.PeakRssBytes();
            if (publishError is not null)
            {
                var message = $"the publish failed after {totalWatch.Elapsed.TotalSeconds:F1} s ({publishError.GetType().Name}: {publishError.Message.Split('\n')[0]}); "
                    + $"movies {tracker?.MoviesDone ?? 0:N0}/{tracker?.MoviesTotal ?? 0:N0}, users {tracker?.UsersDone ?? 0:N0}/{tracker?.UsersTotal ?? 0:N0} pushed; "
                    + $"silo {(silo.HasExited ? "EXITED" : "alive")}, peak RSS {Mb(siloPeak)} MB; recommendations during it {during.Requests:N0}, failed {during.Failures:N0}.";
                console.MarkupLineInterpolated($"[red]{message}[/]");
                console.WriteLine("Silo output tail:\n" + silo.Program.Tail(30));
                return new JsonObject
                {
                    ["benchmark"] = "publish",
                    ["name"] = resultName,
                    ["createdAt"] = DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture),
                    ["error"] = message,
                    ["exception"] = publishError.ToString(),
                    ["artifactFolder"] = targetDir,
                    ["shards"] = s.Shards,
                    ["userShards"] = s.UserShards,
                    ["loadSeconds"] = Math.Round(loadSeconds, 3),
                    ["secondsUntilFailure"] = Math.Round(totalWatch.Elapsed.TotalSeconds, 3),
                    ["pushStages"] = tracker is null ? null : new JsonObject
                    {
                        ["moviesDone"] = tracker.MoviesDone, ["moviesTotal"] = tracker.MoviesTotal,
                        ["usersDone"] = tracker.UsersDone, ["usersTotal"] = tracker.UsersTotal,
                        ["moviesPushedSeconds"] = Round(tracker.MoviesPushedSeconds),
                        ["moviesSealedSeconds"] = Round(tracker.UsersStartedSeconds),
                        ["usersPushedSeconds"] = Round(tracker.UsersPushedSeconds),
                    },
                    ["silo"] = new JsonObject
                    {
                        ["exited"] = silo.HasExited,
                        ["peakRssMB"] = Mb(siloPeak),
                        ["warningOrErrorLines"] = silo.Program.ProblemCount,
                        ["firstWarnings"] = new JsonArray([.. silo.Program.Problems.Select(p => (JsonNode)JsonValue.Create(p))]),
                        ["outputTail"] = silo.Program.Tail(30),
                    },
                    ["duringPublish"] = new JsonObject
                    {
                        ["recommendations"] = during.Requests,
                        ["failures"] = during.Failures,
                        ["versionsSeen"] = ToJson(during.Versions),
                        ["failureExamples"] = new JsonArray([.. during.FailureExamples.Select(p => (JsonNode)JsonValue.Create(p))]),
                    },
                };
            }

            var active = await client.GetGrain<IModelRegistryGrain>(IModelRegistryGrain.DefaultKey).GetActive();
            var activeIsTarget = active?.Info.Version == published.Version;
            console.MarkupLineInterpolated($"Published {published.Version} in {totalSeconds:F2} s (load {loadSeconds:F2} s, push {pushSeconds:F2} s); active now: {active?.Info.Version ?? "none"}.");

            SampleCheckReport? check = null;
            if (s.CheckUsers > 0)
            {
                await console.Status().StartAsync($"Checking {Math.Min(s.CheckUsers, target.Users.Count)} users against brute force over {target.Items.Count:N0} movies ...",
                    async _ => check = await new SampledCheck(client, target).RunAsync(s.CheckUsers, s.K, s.Seed, ct));
            }
            siloPeak = silo.Program.PeakRssBytes();
            var siloRssAfter = silo.Program.RssBytes();
            var storeBytes = DirectoryBytes(store);
            var clientPeak = ProcessStats.Status(Environment.ProcessId, "VmHWM:");
            var loadAtEnd = ProcessStats.LoadAverage();
            var embeddingBytes = ((long)target.Items.Count + target.Users.Count) * target.Manifest.Dimension * sizeof(float);
            var artifactBytes = DirectoryBytes(targetDir);

            var summary = new Summary(target, published, s, loadSeconds, pushSeconds, totalSeconds, embeddingBytes, artifactBytes, siloPeak, storeBytes, during, check, tracker);
            console.WriteLine();
            console.Write(SummaryTable(summary, resultName));
            if (during.FailureExamples.Count > 0)
                foreach (var example in during.FailureExamples) console.MarkupLineInterpolated($"[red]during publish:[/] {example}");
            if (check is { Examples.Count: > 0 })
                foreach (var example in check.Examples) console.MarkupLineInterpolated($"[yellow]check:[/] {example}");
            if (silo.Program.ProblemCount > 0)
                console.MarkupLineInterpolated($"[yellow]The silo logged {silo.Program.ProblemCount} warning/error lines; first: {silo.Program.Problems[0]}[/]");

            return new JsonObject
            {
                ["benchmark"] = "publish",
                ["name"] = resultName,
                ["createdAt"] = DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture),
                ["artifact"] = new JsonObject
                {
                    ["folder"] = targetDir,
                    ["dataset"] = target.Manifest.Dataset,
                    ["version"] = target.Manifest.Version,
                    ["generated"] = s.Generated,
                    ["note"] = s.Generated
                        ? "Generated data: seeded Gaussian embeddings scaled by 1/sqrt(dim), ids 1..N, titles 'Movie i', users saw 5-20 random movies; nothing trained, the evaluation table is zeros."
                        : "A trained artifact.",
                    ["reusedFromEarlierRun"] = s.Generated ? reusedGenerated : null,
                    ["generateSeconds"] = generateSeconds is { } g ? Math.Round(g, 3) : null,
                    ["bytesOnDisk"] = artifactBytes,
                },
                ["movies"] = target.Items.Count,
                ["users"] = target.Users.Count,
                ["dim"] = target.Manifest.Dimension,
                ["shards"] = s.Shards,
                ["userShards"] = s.UserShards,
                ["chunkBytes"] = s.ChunkBytes,
                ["loadSeconds"] = Math.Round(loadSeconds, 3),
                ["pushSeconds"] = Math.Round(pushSeconds, 3),
                ["totalSeconds"] = Math.Round(totalSeconds, 3),
                ["pushStages"] = new JsonObject
                {
                    ["moviesPushedSeconds"] = Round(tracker.MoviesPushedSeconds),
                    ["moviesSealedSeconds"] = Round(tracker.UsersStartedSeconds),
                    ["usersPushedSeconds"] = Round(tracker.UsersPushedSeconds),
                    ["usersSealedAndActivatedSeconds"] = Math.Round(pushSeconds, 3),
                    ["note"] = "From the start of PublishAsync. Movies are sealed (index built, partition written and fsynced) before the first user chunk; the last stage seals the user shards, ranks the popular movies and activates.",
                },
                ["embeddingMB"] = Math.Round(embeddingBytes / 1e6, 1),
                ["embeddingMBPerSecondPush"] = Math.Round(embeddingBytes / 1e6 / pushSeconds, 1),
                ["embeddingMBPerSecondTotal"] = Math.Round(embeddingBytes / 1e6 / totalSeconds, 1),
                ["silo"] = new JsonObject
                {
                    ["pid"] = silo.ProcessId,
                    ["startSeconds"] = Math.Round(siloStartSeconds, 3),
                    ["rssBeforePublishMB"] = Mb(siloRssBefore),
                    ["rssAfterMB"] = Mb(siloRssAfter),
                    ["peakRssMB"] = Mb(siloPeak),
                    ["storeMB"] = Math.Round(storeBytes / 1e6, 1),
                    ["warningOrErrorLines"] = silo.Program.ProblemCount,
                    ["firstWarnings"] = new JsonArray([.. silo.Program.Problems.Select(p => (JsonNode)JsonValue.Create(p))]),
                },
                ["benchmarkProcessPeakRssMB"] = Mb(clientPeak),
                ["warmup"] = new JsonObject
                {
                    ["version"] = warmup.Manifest.Version,
                    ["movies"] = warmup.Items.Count,
                    ["users"] = warmup.Users.Count,
                    ["dim"] = warmupDimension,
                    ["shards"] = 2,
                    ["userShards"] = 2,
                },
                ["duringPublish"] = new JsonObject
                {
                    ["callers"] = s.Callers,
                    ["k"] = s.K,
                    ["tailSecondsAfterActivation"] = s.TailSeconds,
                    ["seconds"] = Math.Round(during.Seconds, 3),
                    ["recommendations"] = during.Requests,
                    ["failures"] = during.Failures,
                    ["perSecond"] = during.Seconds > 0 ? Math.Round(during.Requests / during.Seconds, 1) : 0,
                    ["p50Ms"] = Math.Round(during.P50Ms, 2),
                    ["p99Ms"] = Math.Round(during.P99Ms, 2),
                    ["maxMs"] = Math.Round(during.MaxMs, 2),
                    ["versionsSeen"] = ToJson(during.Versions),
                    ["latencyByVersion"] = new JsonObject([.. during.LatencyByVersion.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p =>
                        new KeyValuePair<string, JsonNode?>(p.Key, new JsonObject
                        {
                            ["role"] = p.Key == warmup.Manifest.Version ? "warm-up (before the activation)" : p.Key == published.Version ? "target (after the activation, first calls read the new profile)" : "other",
                            ["calls"] = p.Value.Calls,
                            ["p50Ms"] = Math.Round(p.Value.P50Ms, 2),
                            ["p99Ms"] = Math.Round(p.Value.P99Ms, 2),
                            ["maxMs"] = Math.Round(p.Value.MaxMs, 2),
                        }))]),
                    ["sources"] = ToJson(during.Sources),
                    ["failureExamples"] = new JsonArray([.. during.FailureExamples.Select(p => (JsonNode)JsonValue.Create(p))]),
                },
                ["activeAfter"] = active?.Info.Version,
                ["activeIsTarget"] = activeIsTarget,
                ["sampleCheck"] = check is null ? null : new JsonObject
                {
                    ["users"] = check.Users,
                    ["k"] = s.K,
                    ["exact"] = check.Exact,
                    ["mismatched"] = check.Mismatched,
                    ["failed"] = check.Failed,
                    ["passed"] = check.Passed,
                    ["meanRecall"] = Math.Round(check.MeanRecall, 5),
                    ["minRecall"] = Math.Round(check.MinRecall, 5),
                    ["maxScoreError"] = check.MaxScoreError,
                    ["seconds"] = Math.Round(check.Seconds, 3),
                    ["examples"] = new JsonArray([.. check.Examples.Select(p => (JsonNode)JsonValue.Create(p))]),
                    ["rule"] = "ServingVerifier's: served by the target version from the model, scores within 1e-4 of the double-precision brute force position by position, same set unless the last place ties.",
                },
                ["machine"] = BenchmarkReport.Machine(loadAtStart, loadAtEnd),
            };
        }
        finally
        {
            if (connection is not null)
            {
                try { await connection.DisposeAsync(); } catch (Exception e) when (e is not OutOfMemoryException) { /* the silo may be gone already */ }
            }
            if (silo is not null) await silo.DisposeAsync();
            if (!s.KeepStore)
            {
                try { Directory.Delete(store, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
            }
        }
    }

    private sealed record Summary(
        ModelArtifact Target, ModelVersionInfo Published, PublishBenchmarkSettings Settings,
        double LoadSeconds, double PushSeconds, double TotalSeconds, long EmbeddingBytes, long ArtifactBytes, long? SiloPeak, long StoreBytes,
        LoadReport During, SampleCheckReport? Check, PublishProgressTracker Tracker);

    private static Table SummaryTable(Summary r, string name)
    {
        var table = new Table().Title($"publish {name}").AddColumn("measure").AddColumn(new TableColumn("value").RightAligned());
        void Row(string label, string value) => table.AddRow(Markup.Escape(label), Markup.Escape(value));
        string F(double v, string format = "F2") => v.ToString(format, CultureInfo.InvariantCulture);
        Row("version", r.Published.Version + (r.Settings.Generated ? " (generated)" : ""));
        Row("movies x dim", $"{r.Target.Items.Count:N0} x {r.Target.Manifest.Dimension}");
        Row("users x dim", $"{r.Target.Users.Count:N0} x {r.Target.Manifest.Dimension}");
        Row("candidate / user shards", $"{r.Settings.Shards} / {r.Settings.UserShards}");
        Row("artifact load + verify (s)", F(r.LoadSeconds));
        Row("push: movies pushed (s)", r.Tracker.MoviesPushedSeconds is { } a ? F(a) : "-");
        Row("push: movies sealed (s)", r.Tracker.UsersStartedSeconds is { } b ? F(b) : "-");
        Row("push: users pushed (s)", r.Tracker.UsersPushedSeconds is { } c ? F(c) : "-");
        Row("push incl. seals + activation (s)", F(r.PushSeconds));
        Row("total (s)", F(r.TotalSeconds));
        Row("embeddings pushed (MB)", F(r.EmbeddingBytes / 1e6, "F1"));
        Row("push throughput (MB/s)", F(r.EmbeddingBytes / 1e6 / r.PushSeconds, "F1"));
        Row("artifact on disk (MB)", F(r.ArtifactBytes / 1e6, "F1"));
        Row("silo peak RSS (MB)", r.SiloPeak is { } p ? F(p / 1e6, "F0") : "-");
        Row("model store after (MB)", F(r.StoreBytes / 1e6, "F1"));
        Row("recommendations during publish", $"{r.During.Requests:N0} ({F(r.During.Seconds > 0 ? r.During.Requests / r.During.Seconds : 0, "F0")}/s, {r.Settings.Callers} callers)");
        Row("  latency p50 / p99 / max (ms)", $"{F(r.During.P50Ms, "F1")} / {F(r.During.P99Ms, "F1")} / {F(r.During.MaxMs, "F0")}");
        Row("  failures", r.During.Failures.ToString(CultureInfo.InvariantCulture));
        foreach (var (version, latency) in r.During.LatencyByVersion.OrderBy(v => v.Key, StringComparer.Ordinal))
        {
            var role = version == r.Published.Version ? "new, after activation" : "warm-up";
            Row($"  served by {version} ({role})", $"{latency.Calls:N0}; p50 {F(latency.P50Ms, "F1")} / p99 {F(latency.P99Ms, "F1")} / max {F(latency.MaxMs, "F0")} ms");
        }
        if (r.Check is { } check)
        {
            Row($"sample check ({check.Users} users, top {r.Settings.K})", $"{(check.Passed ? "PASS" : "FAIL")}: {check.Exact} exact, {check.Mismatched} mismatched, {check.Failed} failed");
            Row("  recall@K mean / min", $"{F(check.MeanRecall, "F4")} / {F(check.MinRecall, "F2")}");
        }
        return table;
    }

    private static long DirectoryBytes(string folder)
    {
        try
        {
            return Directory.Exists(folder)
                ? new DirectoryInfo(folder).EnumerateFiles("*", SearchOption.AllDirectories).Sum(f => f.Length)
                : 0;
        }
        catch (IOException)
        {
            return 0;
        }
    }

    private static JsonObject ToJson(IReadOnlyDictionary<string, long> counts)
    {
        var json = new JsonObject();
        foreach (var (key, value) in counts.OrderBy(p => p.Key, StringComparer.Ordinal)) json[key] = value;
        return json;
    }

    private static double? Mb(long? bytes) => bytes is { } b ? Math.Round(b / 1e6, 1) : null;

    private static double? Round(double? seconds) => seconds is { } v ? Math.Round(v, 3) : null;
}
