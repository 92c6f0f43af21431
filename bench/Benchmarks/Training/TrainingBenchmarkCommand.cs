using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using MovieRecommender.Artifacts;
using MovieRecommender.Benchmarks.Telemetry;
using MovieRecommender.CommandLine;
using Spectre.Console;

namespace MovieRecommender.Benchmarks.Training;

/// <summary>
/// <c>training</c>: trains one configuration with our TorchSharp trainer and with PyTorch on the same split, same machine
/// and same thread count, one after the other, on the given MovieLens folder and then on a generated catalogue of
/// <c>--generated-movies</c> movies (<see cref="MovieLensLikeCatalogue"/>) in the same run; prints both wall and train
/// times, their ratio and both evaluation tables, and writes it all as JSON. The default configuration is compared with
/// <c>pytorch_per_user.py</c> (its port, beside this file) trained for the epochs ours chose, against our final run; the
/// notebook configuration with the shared reference script. Both programs run as child processes, so neither pays for
/// the other's start-up.
/// </summary>
public static class TrainingBenchmarkCommand
{
    /// <summary>The goal of the issue: our wall time at most this multiple of PyTorch's.</summary>
    public const double WallRatioGoal = 1.2;

    private const string DataEnvironmentVariable = "MOVIELENS_DIR";

    public static Command Create()
    {
        var data = new Option<string?>("--data") { Description = $"MovieLens folder (ML-100K or ml-latest layout); else ${DataEnvironmentVariable}." }.ExistingFolder();
        var seed = new Option<int>("--seed") { Description = "Split and training seed, given to both programs.", DefaultValueFactory = _ => 42 };
        var threads = new Option<int>("--threads") { Description = "Threads for both programs (--threads, and OMP_NUM_THREADS/MKL_NUM_THREADS for PyTorch).", DefaultValueFactory = _ => 2 }.Integer(min: 1, max: 1024);
        var json = new Option<string?>("--json") { Description = "Where to write the JSON results (default bench/results/training.json under the repository)." }.FileToWrite();
        var output = new Option<string?>("--out") { Description = "Folder under which our trainer writes its artifacts (default: a folder under the temp directory)." }.FolderToWrite();
        var runs = new Option<int>("--runs") { Description = "Rounds of (ours, then PyTorch); times are the medians over rounds.", DefaultValueFactory = _ => 1 }.Integer(min: 1, max: 100);
        var script = new Option<string?>("--pytorch-script") { Description = "The PyTorch reference (default ../shared/tools/pytorch_twotower.py beside the repository)." }.ExistingFile();
        var python = new Option<string>("--python") { Description = "Python with Debian's python3-torch and python3-numpy.", DefaultValueFactory = _ => "/usr/bin/python3" }.ExistingFile();
        var noBuild = new Option<bool>("--no-build") { Description = "Use the trainer already built in src/Trainer/bin/Release instead of building it first." };
        var installPytorch = new Option<bool>("--install-pytorch") { Description = "Run scripts/install-pytorch.sh first when PyTorch is missing." };
        var preset = new Option<string>("--preset") { Description = "default (the trainer's default, against its PyTorch port) or notebook (against the shared reference script).", DefaultValueFactory = _ => "default" }.OneOf("default", "notebook");
        var generated = new Option<int>("--generated-movies") { Description = "Also time a generated ml-latest-layout catalogue of this many movies (600 users, seed 1); 0: only --data.", DefaultValueFactory = _ => GenerateMovieLensCommand.DefaultMovies }.Integer(min: 0, max: 1_000_000);

        var command = new Command("training", "Time a configuration in our trainer and in PyTorch on the same split, on MovieLens and on a generated catalogue.")
        {
            data, seed, threads, json, output, runs, script, python, noBuild, installPytorch, preset, generated,
        };
        command.SetAction(async (parsed, ct) =>
        {
            var options = new BenchmarkOptions(
                DataDir: ResolveData(parsed.GetValue(data)),
                Seed: parsed.GetValue(seed),
                Threads: parsed.GetValue(threads),
                Runs: parsed.GetValue(runs),
                Python: parsed.GetValue(python) ?? "/usr/bin/python3",
                Build: !parsed.GetValue(noBuild),
                InstallPytorch: parsed.GetValue(installPytorch),
                Preset: parsed.GetValue(preset) ?? "default");
            if (options.Threads < 1) throw new UserFacingException($"--threads must be at least 1 (got {options.Threads}).");
            if (options.Runs < 1) throw new UserFacingException($"--runs must be at least 1 (got {options.Runs}).");

            var root = RepositoryRoot.TryFind()
                ?? throw new UserFacingException($"cannot find the repository ({RepositoryRoot.SolutionFile}) above {Directory.GetCurrentDirectory()}; run from inside it.");
            var scriptPath = Path.GetFullPath(parsed.GetValue(script) ?? (options.Preset == "notebook"
                ? Path.Combine(root, "..", "shared", "tools", "pytorch_twotower.py")
                : Path.Combine(root, "bench", "Benchmarks", "Training", PortScript)));
            if (!File.Exists(scriptPath))
                throw new UserFacingException($"{scriptPath}: no PyTorch script there; pass --pytorch-script PATH.");
            var jsonPath = Path.GetFullPath(parsed.GetValue(json) ?? Path.Combine(root, "bench", "results", "training.json"));
            var outRoot = Path.GetFullPath(parsed.GetValue(output) ?? Path.Combine(Path.GetTempPath(), "movierecommender-training-bench"));

            var datasets = new List<string> { options.DataDir };
            if (parsed.GetValue(generated) is > 0 and var movies)
            {
                var folder = Path.Combine(outRoot, $"generated-{movies}-movies");
                var ratings = MovieLensLikeCatalogue.Write(folder, movies, GenerateMovieLensCommand.DefaultUsers,
                    GenerateMovieLensCommand.DefaultRatingsPerUser, GenerateMovieLensCommand.DefaultSeed);
                AnsiConsole.MarkupLineInterpolated($"Generated {movies:N0} movies, {GenerateMovieLensCommand.DefaultUsers} users, {ratings:N0} ratings in {folder}.");
                datasets.Add(folder);
            }
            // Keyed by the dataset's folder name (an object of objects: the report's path anonymiser rewrites nodes in place).
            var results = new JsonObject();
            foreach (var dataset in datasets)
                results[Path.GetFileName(dataset)] = await RunAsync(options with { DataDir = dataset }, root, scriptPath, outRoot, AnsiConsole.Console, ct);
            var report = new JsonObject
            {
                ["benchmark"] = "training",
                ["createdAt"] = DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture),
                ["commit"] = await RepositoryRoot.CommitAsync(root, ct),
                ["preset"] = options.Preset,
                ["command"] = "dotnet run -c Release --project bench/Benchmarks -- " + string.Join(' ', Environment.GetCommandLineArgs().Skip(1)),
                ["datasets"] = results,
            };
            await BenchmarkReport.WriteAsync(jsonPath, report, ct);
            return 0;
        });
        return command;
    }

    private sealed record BenchmarkOptions(string DataDir, int Seed, int Threads, int Runs, string Python, bool Build, bool InstallPytorch, string Preset);

    /// <summary>The PyTorch port of the default configuration, beside this file.</summary>
    public const string PortScript = "pytorch_per_user.py";


    /// <summary>One program's run: process wall time, its own training time, its evaluation table.</summary>
    private sealed record Measurement(double WallSeconds, double? CpuSeconds, double TrainSeconds, EvaluationTable Evaluation, double? LoadBefore, JsonObject Details);

    private static string ResolveData(string? option)
    {
        var dir = !string.IsNullOrWhiteSpace(option) ? option : Environment.GetEnvironmentVariable(DataEnvironmentVariable);
        if (string.IsNullOrWhiteSpace(dir))
            throw new UserFacingException($"no data: pass --data DIR (a MovieLens folder, e.g. ../shared/data/ml-100k) or set {DataEnvironmentVariable}.");
        var full = Path.GetFullPath(dir);
        if (!Directory.Exists(full))
            throw new UserFacingException($"{dir}: no such folder. Pass a MovieLens folder, e.g. --data ../shared/data/ml-100k.");
        if (!File.Exists(Path.Combine(full, "u.data")) && !File.Exists(Path.Combine(full, "ratings.csv")))
            throw new UserFacingException($"{dir}: neither u.data (MovieLens 100K) nor ratings.csv (ml-latest) is there, which both programs need.");
        return full;
    }

    private static async Task<JsonObject> RunAsync(BenchmarkOptions options, string root, string scriptPath, string outRoot,
        IAnsiConsole console, CancellationToken ct)
    {
        var (torchVersion, blas) = ParseProbe(await EnsurePytorchAsync(options, root, console, ct));
        console.MarkupLineInterpolated($"PyTorch {torchVersion} under {options.Python}; BLAS: {blas}.");
        console.MarkupLineInterpolated($"CPU {MachineDescription.CpuModel()}, {Environment.ProcessorCount} cores, {MachineDescription.VectorInstructions()}.");
        if (blas.Contains("/blas/libblas", StringComparison.Ordinal))
            console.MarkupLine("[yellow]Note: that is the reference (netlib) BLAS, PyTorch's matrix products run unoptimised; with libopenblas0 installed they are several times faster.[/]");
        var trainerDll = await BenchmarkReport.EnsureBuiltAsync(root, "Trainer", "the trainer", options.Build, console, ct);
        Directory.CreateDirectory(outRoot);

        var ours = new List<Measurement>();
        var theirs = new List<Measurement>();
        for (var round = 1; round <= options.Runs; round++)
        {
            var label = options.Runs > 1 ? $" (round {round}/{options.Runs})" : "";
            Measurement o = null!, p = null!;
            await console.Status().StartAsync($"Training the {options.Preset} configuration with our trainer{label} ...",
                async _ => o = await RunOursAsync(options, trainerDll, outRoot, ct));
            console.MarkupLineInterpolated($"Ours{label}: {o.WallSeconds:F2} s wall, {FormatCpu(o.CpuSeconds)} s CPU, {o.TrainSeconds:F2} s training (load before: {FormatLoad(o.LoadBefore)}).");
            var usersTsv = Path.Combine(o.Details["artifact"]!.GetValue<string>(), ArtifactFiles.Users);
            await console.Status().StartAsync($"Training the {options.Preset} configuration with PyTorch {torchVersion}{label} ...",
                async _ => p = await RunPytorchAsync(options, scriptPath, usersTsv, o, ct));
            console.MarkupLineInterpolated($"PyTorch{label}: {p.WallSeconds:F2} s wall, {FormatCpu(p.CpuSeconds)} s CPU, {p.TrainSeconds:F2} s training (load before: {FormatLoad(p.LoadBefore)}).");
            ours.Add(o);
            theirs.Add(p);
        }

        var oursWall = Median(ours.Select(m => m.WallSeconds));
        var oursTrain = Median(ours.Select(m => m.TrainSeconds));
        var theirWall = Median(theirs.Select(m => m.WallSeconds));
        var theirTrain = Median(theirs.Select(m => m.TrainSeconds));
        var wallRatio = oursWall / theirWall;
        var trainRatio = oursTrain / theirTrain;
        var oursEval = ours[^1].Evaluation;
        var theirEval = theirs[^1].Evaluation;
        var popularityDiff = MaxAbsDifference(oursEval.Popularity, theirEval.Popularity);
        var easeDiff = MaxAbsDifference(oursEval.Ease, theirEval.Ease);
        var loadAfter = ProcessStats.LoadAverage();

        console.WriteLine();
        console.Write(SummaryTable(options, torchVersion, ours, theirs, oursWall, oursTrain, theirWall, theirTrain, wallRatio, trainRatio));
        console.Write(EvaluationView("all (top-K accuracy on the test split)", oursEval, theirEval, m => m.All));
        console.Write(EvaluationView("seen excluded (training movies removed from the ranking)", oursEval, theirEval, m => m.SeenExcluded));
        console.MarkupLineInterpolated(
            $"Baselines on the same split: popularity differs by at most {popularityDiff:F4}, EASE by at most {easeDiff:F4} (same split: both should be near 0).");
        if (Math.Max(popularityDiff, easeDiff) > 0.01)
            console.MarkupLine("[yellow]The baselines disagree by more than 0.01: the two programs may not be evaluating the same split.[/]");
        // The notebook's goal is on wall time (both programs do the same work); with the default, ours also runs the validation
        // pass PyTorch's port skips, so the like-for-like figure is the training time of the same run.
        var (goalName, goalRatio) = options.Preset == "notebook" ? ("wall", wallRatio) : ("train", trainRatio);
        var met = goalRatio <= WallRatioGoal;
        console.MarkupLine(
            $"Ours / PyTorch: wall [bold]{wallRatio.ToString("F2", CultureInfo.InvariantCulture)}x[/], train [bold]{trainRatio.ToString("F2", CultureInfo.InvariantCulture)}x[/]; goal {goalName} <= {WallRatioGoal.ToString(CultureInfo.InvariantCulture)}x: "
            + (met ? "[green]met[/]" : "[red]not met[/]") + $" (load average {FormatLoad(ours[0].LoadBefore)} at start, {FormatLoad(loadAfter)} at end, {Environment.ProcessorCount} processors).");

        return new JsonObject
        {
            ["configuration"] = options.Preset == "notebook"
                ? "notebook: ids, dim 32, in-batch softmax summed over the batch, Adagrad 0.1, batch 8192, 3 epochs"
                : "default: train's default; PyTorch (pytorch_per_user.py) trains it for the epochs ours chose, so train seconds compare it with our final run (with --validation, ours' trainingSecondsWhole adds the validation run)",
            ["data"] = options.DataDir,
            ["seed"] = options.Seed,
            ["threads"] = options.Threads,
            ["runs"] = options.Runs,
            ["machine"] = BenchmarkReport.Machine(ours[0].LoadBefore, loadAfter),
            ["ours"] = Side(ours, oursWall, oursTrain),
            ["pytorch"] = Side(theirs, theirWall, theirTrain, new JsonObject { ["torchVersion"] = torchVersion, ["blas"] = blas, ["script"] = scriptPath, ["python"] = options.Python }),
            ["ratio"] = new JsonObject
            {
                ["wall"] = Math.Round(wallRatio, 4),
                ["cpu"] = MedianOrNull(ours.Select(m => m.CpuSeconds)) / MedianOrNull(theirs.Select(m => m.CpuSeconds)) is { } cpuRatio ? Math.Round(cpuRatio, 4) : null,
                ["train"] = Math.Round(trainRatio, 4),
            },
            ["goal"] = new JsonObject { ["ratio"] = goalName, ["maxRatio"] = WallRatioGoal, ["met"] = met },
            ["baselineAgreement"] = new JsonObject { ["popularityMaxAbsDiff"] = Math.Round(popularityDiff, 6), ["easeMaxAbsDiff"] = Math.Round(easeDiff, 6) },
        };
    }

    private static async Task<string> EnsurePytorchAsync(BenchmarkOptions options, string root, IAnsiConsole console, CancellationToken ct)
    {
        var installer = Path.Combine(root, "scripts", "install-pytorch.sh");
        var check = await ProbePytorchAsync(options.Python, root, ct);
        if (check.ExitCode == 0) return check.LastLine;
        if (!options.InstallPytorch)
            throw new UserFacingException(
                $"PyTorch is not available to {options.Python} ({check.Tail(1)}); run scripts/install-pytorch.sh (Debian's python3-torch and python3-numpy) or pass --install-pytorch.");
        console.MarkupLine("PyTorch is missing: running scripts/install-pytorch.sh (a few minutes) ...");
        var install = await ChildProcess.RunAsync("bash", [installer], root, null, ct);
        if (install.ExitCode != 0)
            throw new UserFacingException($"scripts/install-pytorch.sh failed (exit {install.ExitCode}): {install.Tail()}");
        check = await ProbePytorchAsync(options.Python, root, ct);
        if (check.ExitCode != 0)
            throw new UserFacingException($"PyTorch is still not available to {options.Python} after scripts/install-pytorch.sh: {check.Tail(1)}");
        return check.LastLine;
    }

    // Prints the torch version and, after a matrix product, the BLAS libraries mapped into the process (the yardstick's speed depends on it).
    private const string ProbeScript =
        "import torch, numpy\n"
        + "torch.ones(64, 64) @ torch.ones(64, 64)\n"
        + "blas = sorted({l.split()[-1] for l in open('/proc/self/maps') if 'blas' in l.lower() and '/' in l})\n"
        + "print(torch.__version__ + '\\t' + (' '.join(blas) or 'built in'))\n";

    private static (string Version, string Blas) ParseProbe(string line)
    {
        var parts = line.Split('\t', 2);
        return (parts[0], parts.Length > 1 ? parts[1] : "unknown");
    }

    private static async Task<ChildResult> ProbePytorchAsync(string python, string root, CancellationToken ct)
    {
        try
        {
            return await ChildProcess.RunAsync(python, ["-c", ProbeScript], root, null, ct);
        }
        catch (UserFacingException e)
        {
            return new ChildResult(127, "", e.Message, 0);
        }
    }

    private static async Task<Measurement> RunOursAsync(BenchmarkOptions options, string trainerDll, string outRoot, CancellationToken ct)
    {
        var load = ProcessStats.LoadAverage();
        string[] arguments =
        [
            "train", "--data", options.DataDir, "--out", outRoot, "--preset", options.Preset,
            "--seed", options.Seed.ToString(CultureInfo.InvariantCulture), "--threads", options.Threads.ToString(CultureInfo.InvariantCulture),
            // The port trains the preset's fixed settings: compare like with like (tuning has its own benchmark).
            "--no-tune",
        ];
        var run = await TrainerRun.RunAsync(trainerDll, arguments, ct, withoutInheritedOtel: false);
        var (artifact, manifest) = (run.Artifact, run.Manifest);
        // The PyTorch port trains one run for the epochs ours chose: compare it with our final run, and report the whole.
        var curve = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(artifact, "training.json"), ct))!;
        var finalRun = curve["finalRun"]!.AsArray();
        var finalSeconds = finalRun.Count > 0 ? finalRun[^1]!["seconds"]!.GetValue<double>() : manifest.TrainingSeconds;
        var details = new JsonObject
        {
            ["command"] = new JsonArray([ChildProcess.DotnetHost(), trainerDll, .. arguments.Select(a => (JsonNode?)a)]),
            ["artifact"] = artifact,
            ["hyperParameters"] = manifest.HyperParameters.DeepClone(),
            ["counts"] = JsonSerializer.SerializeToNode(manifest.Counts),
            ["trainingSecondsWhole"] = Math.Round(manifest.TrainingSeconds, 3),
            ["finalRunSeconds"] = Math.Round(finalSeconds, 3),
        };
        var compared = options.Preset == "notebook" ? manifest.TrainingSeconds : finalSeconds;
        return new Measurement(run.WallSeconds, run.CpuSeconds, compared, manifest.Evaluation, load, details);
    }

    private static async Task<Measurement> RunPytorchAsync(BenchmarkOptions options, string scriptPath, string usersTsv, Measurement ours, CancellationToken ct)
    {
        var load = ProcessStats.LoadAverage();
        var threads = options.Threads.ToString(CultureInfo.InvariantCulture);
        var seed = options.Seed.ToString(CultureInfo.InvariantCulture);
        string[] arguments = options.Preset == "notebook"
            ? [scriptPath, "--data", options.DataDir, "--train-file", usersTsv, "--split-seed", seed, "--threads", threads]
            : [scriptPath, "--data", options.DataDir, "--train-file", usersTsv, "--seed", seed, "--threads", threads, .. PortArguments(ours.Details["hyperParameters"]!)];
        // The same OpenMP wait our trainer sets for itself (OpenMpWaitPolicy: a 1,000-spin wait, then sleep), so neither side
        // gains or loses by how its threads wait between the step's small operations.
        var environment = new Dictionary<string, string>
        {
            ["OMP_NUM_THREADS"] = threads, ["MKL_NUM_THREADS"] = threads, ["OMP_WAIT_POLICY"] = "PASSIVE", ["GOMP_SPINCOUNT"] = "1000",
        };
        var run = await ChildProcess.RunAsync(options.Python, arguments, Directory.GetCurrentDirectory(), environment, ct);
        if (run.ExitCode != 0)
            throw new UserFacingException($"the PyTorch script failed (exit {run.ExitCode}): {run.Tail()}");
        JsonObject output;
        EvaluationTable evaluation;
        double trainSeconds;
        try
        {
            output = JsonNode.Parse(run.LastLine) as JsonObject ?? throw new JsonException("not a JSON object");
            trainSeconds = output["train_seconds"]?.GetValue<double>() ?? throw new JsonException("no train_seconds");
            evaluation = output["evaluation"]?.Deserialize<EvaluationTable>() ?? throw new JsonException("no evaluation");
            if (evaluation.Model is null || evaluation.Popularity is null || evaluation.Ease is null) throw new JsonException("incomplete evaluation");
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException)
        {
            throw new UserFacingException($"the PyTorch script's last line is not its result JSON ({e.Message}): {Truncate(run.LastLine, 200)}", e);
        }
        var details = new JsonObject
        {
            ["command"] = new JsonArray([options.Python, .. arguments.Select(a => (JsonNode?)a)]),
            ["environment"] = new JsonObject(environment.Select(kv => KeyValuePair.Create(kv.Key, (JsonNode?)kv.Value))),
            ["options"] = output["options"]?.DeepClone(),
            ["counts"] = new JsonObject
            {
                ["users"] = output["users"]?.DeepClone(), ["items"] = output["movies"]?.DeepClone(),
                ["trainInteractions"] = output["train"]?.DeepClone(), ["testInteractions"] = output["test"]?.DeepClone(),
            },
        };
        return new Measurement(run.WallSeconds, run.CpuSeconds, trainSeconds, evaluation, load, details);
    }

    /// <summary>The port's options for the configuration our run used (its manifest's hyper-parameters) and the epochs it chose.</summary>
    private static string[] PortArguments(JsonNode hyper)
    {
        string V(string key) => hyper[key]!.ToJsonString().Trim('"');
        if (V("lossUsed") != "per-user" || V("historyPooling") != "sqrt" || !hyper["shareHistoryTable"]!.GetValue<bool>() || !hyper["normalize"]!.GetValue<bool>())
            throw new UserFacingException("the PyTorch port implements the default configuration (per-user softmax, shared history pooled by 1/sqrt(n), normalised); train's default changed, so change the port too.");
        string[] arguments =
        [
            "--epochs", V("epochsTrained"), "--max-epochs", V("epochs"), "--dim", V("dim"), "--batch", V("batch"), "--lr", V("lr"),
            "--weight-decay", V("weightDecay"), "--temperature", V("temperature"), "--target-share", V("targetShare"), "--schedule", V("lrSchedule"),
        ];
        return hyper["features"]!.GetValue<string>().Contains("history", StringComparison.Ordinal) || V("features") == "all" ? arguments : [.. arguments, "--no-history"];
    }

    private static Table SummaryTable(BenchmarkOptions options, string torchVersion, List<Measurement> ours, List<Measurement> theirs,
        double oursWall, double oursTrain, double theirWall, double theirTrain, double wallRatio, double trainRatio)
    {
        var median = options.Runs > 1 ? $" (median of {options.Runs})" : "";
        var table = new Table()
            .Title($"{options.Preset} configuration, {Path.GetFileName(options.DataDir)}, seed {options.Seed}, {options.Threads} threads{median}")
            .AddColumn("program")
            .AddColumn(new TableColumn("wall s").RightAligned())
            .AddColumn(new TableColumn("cpu s").RightAligned())
            .AddColumn(new TableColumn("train s").RightAligned())
            .AddColumn(new TableColumn("excl@10").RightAligned())
            .AddColumn(new TableColumn("excl@100").RightAligned())
            .AddColumn(new TableColumn("all@10").RightAligned())
            .AddColumn(new TableColumn("all@100").RightAligned());
        void Row(string name, double wall, double? cpu, double train, EvaluationTable e) => table.AddRow(
            Markup.Escape(name), F(wall, 2), FormatCpu(cpu), F(train, 2),
            F(e.Model.SeenExcluded["10"]), F(e.Model.SeenExcluded["100"]), F(e.Model.All["10"]), F(e.Model.All["100"]));
        var oursCpu = MedianOrNull(ours.Select(m => m.CpuSeconds));
        var theirCpu = MedianOrNull(theirs.Select(m => m.CpuSeconds));
        Row("ours", oursWall, oursCpu, oursTrain, ours[^1].Evaluation);
        Row("PyTorch", theirWall, theirCpu, theirTrain, theirs[^1].Evaluation);
        var cpuRatio = oursCpu / theirCpu is { } r ? $"{F(r, 2)}x" : "";
        table.AddRow("[bold]ratio[/]", $"[bold]{F(wallRatio, 2)}x[/]", cpuRatio, $"[bold]{F(trainRatio, 2)}x[/]", "", "", "", "");
        var caption = $"ours = TorchSharp trainer, PyTorch {torchVersion}; ratio = ours / PyTorch; cpu = user + system seconds of the process; model top-K, seen excluded and all"
            + (options.Preset == "notebook" ? "" : $"; train s = the final run (ours: {F(ours[^1].Details["trainingSecondsWhole"]!.GetValue<double>(), 1)} s in all)");
        if (options.Runs > 1)
            caption += "; per round, wall s ours/PyTorch: " + string.Join(", ",
                ours.Zip(theirs, (o, p) => $"{F(o.WallSeconds, 1)}/{F(p.WallSeconds, 1)}"));
        table.Caption(Markup.Escape(caption));
        return table;
    }

    private static Table EvaluationView(string title, EvaluationTable ours, EvaluationTable theirs, Func<MethodEvaluation, IReadOnlyDictionary<string, double>> pick)
    {
        var table = new Table().Title(title).AddColumn("method").AddColumn("program");
        foreach (var k in EvaluationTable.Ks) table.AddColumn(new TableColumn($"top{k}").RightAligned());
        foreach (var (method, o, p) in new[] { ("model", ours.Model, theirs.Model), ("popularity", ours.Popularity, theirs.Popularity), ("EASE", ours.Ease, theirs.Ease) })
        {
            table.AddRow([method, "ours", .. EvaluationTable.Ks.Select(k => F(pick(o)[K(k)]))]);
            table.AddRow(["", "PyTorch", .. EvaluationTable.Ks.Select(k => F(pick(p)[K(k)]))]);
        }
        return table;
    }

    private static JsonObject Side(List<Measurement> runs, double wall, double train, JsonObject? extra = null)
    {
        var side = new JsonObject
        {
            ["wallSeconds"] = Math.Round(wall, 3),
            ["trainSeconds"] = Math.Round(train, 3),
            ["cpuSeconds"] = MedianOrNull(runs.Select(r => r.CpuSeconds)) is { } cpu ? Math.Round(cpu, 3) : null,
            ["cpuSecondsPerRun"] = new JsonArray(runs.Select(r => (JsonNode?)(r.CpuSeconds is { } c ? Math.Round(c, 3) : null)).ToArray()),
            ["wallSecondsPerRun"] = new JsonArray(runs.Select(r => (JsonNode?)Math.Round(r.WallSeconds, 3)).ToArray()),
            ["trainSecondsPerRun"] = new JsonArray(runs.Select(r => (JsonNode?)Math.Round(r.TrainSeconds, 3)).ToArray()),
            ["loadAverageBeforeEachRun"] = new JsonArray(runs.Select(r => (JsonNode?)r.LoadBefore).ToArray()),
            ["evaluation"] = JsonSerializer.SerializeToNode(runs[^1].Evaluation),
        };
        foreach (var (key, value) in runs[^1].Details) side[key] = value?.DeepClone();
        if (extra is not null)
            foreach (var (key, value) in extra) side[key] = value?.DeepClone();
        return side;
    }

    private static double MaxAbsDifference(MethodEvaluation a, MethodEvaluation b) =>
        EvaluationTable.Ks.Select(K).SelectMany(k => new[]
        {
            Math.Abs(a.All[k] - b.All[k]), Math.Abs(a.SeenExcluded[k] - b.SeenExcluded[k]),
        }).Max();

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        var mid = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }

    private static double? MedianOrNull(IEnumerable<double?> values)
    {
        var list = values.ToList();
        return list.All(v => v.HasValue) ? Median(list.Select(v => v!.Value)) : null;
    }

    private static string FormatCpu(double? seconds) => seconds is { } s ? F(s, 2) : "n/a";
    private static string K(int k) => k.ToString(CultureInfo.InvariantCulture);
    private static string F(double value, int digits = 4) => value.ToString("F" + digits.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
    private static string FormatLoad(double? load) => load is { } l ? l.ToString("F2", CultureInfo.InvariantCulture) : "unknown";
    private static string Truncate(string s, int max) => s.Length <= max ? s : s[..max] + "...";
}
