using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using MovieRecommender.Artifacts;
using MovieRecommender.Benchmarks.Telemetry;
using MovieRecommender.CommandLine;
using Spectre.Console;

namespace MovieRecommender.Benchmarks.Training;

/// <summary>
/// <c>tuning</c>: on MovieLens 100K, its subsamples and generated catalogues (<see cref="DevelopmentDatasets"/>), runs the
/// trainer's <c>train</c> as a user does, once tuned (the default) and once <c>--no-tune</c>, and reports each against EASE
/// at its λ chosen on validation and against the strictest bar: EASE's best of its λ grid at each K on the test pairs
/// themselves (the trainer reports it and chooses nothing with it). Prints one table, writes one JSON report.
/// </summary>
public static class TuningBenchmarkCommand
{
    /// <summary>The issue's bars: on ML-100K the tuned model at this multiple of best-λ EASE in at most 60 s; elsewhere at 1.0x.</summary>
    public const double Ml100kGoal = 1.015, OtherGoal = 1.0, Ml100kSeconds = 60, Generated10kSeconds = 180;

    public static Command Create()
    {
        var data = new Option<string?>("--data") { Description = "MovieLens 100K folder; else $MOVIELENS_DIR, else ../shared/data/ml-100k beside the repository." }.ExistingFolder();
        var seed = new Option<int>("--seed") { Description = "Split and training seed.", DefaultValueFactory = _ => 42 };
        var only = new Option<string[]>("--datasets") { Description = "Only these datasets of the table (names as printed).", AllowMultipleArgumentsPerToken = true };
        var json = new Option<string?>("--json") { Description = "Where to write the report (default bench/results/tuning.json)." }.FileToWrite();
        var work = new Option<string?>("--work") { Description = "Folder for the datasets and artifacts (default: under the temp directory)." }.FolderToWrite();
        var noBuild = new Option<bool>("--no-build") { Description = "Use the trainer already built in src/Trainer/bin/Release." };
        var command = new Command("tuning", "Train tuned and untuned on MovieLens 100K, its subsamples and generated catalogues; compare each with EASE at its best λ.")
        {
            data, seed, only, json, work, noBuild,
        };
        command.SetAction(async (parsed, ct) =>
        {
            var root = RepositoryRoot.TryFind()
                ?? throw new UserFacingException($"cannot find the repository ({RepositoryRoot.SolutionFile}) above {Directory.GetCurrentDirectory()}; run from inside it.");
            var ml100k = ResolveMl100k(parsed.GetValue(data), root);
            var workRoot = Path.GetFullPath(parsed.GetValue(work) ?? Path.Combine(Path.GetTempPath(), "movierecommender-tuning-bench"));
            var jsonPath = Path.GetFullPath(parsed.GetValue(json) ?? Path.Combine(root, "bench", "results", "tuning.json"));
            var datasets = DevelopmentDatasets.All(ml100k).ToList();
            if (parsed.GetValue(only) is { Length: > 0 } names)
            {
                var unknown = names.Where(n => datasets.All(d => d.Name != n)).ToList();
                if (unknown.Count > 0)
                    throw new UserFacingException($"--datasets: no dataset named {string.Join(", ", unknown)}; the table has {string.Join(", ", datasets.Select(d => d.Name))}.");
                datasets = datasets.Where(d => names.Contains(d.Name)).ToList();
            }
            var console = AnsiConsole.Console;
            var trainer = await BenchmarkReport.EnsureBuiltAsync(root, "Trainer", "the trainer", !parsed.GetValue(noBuild), console, ct);
            var loadAtStart = ProcessStats.LoadAverage();
            var startedUtc = DateTime.UtcNow;
            console.MarkupLineInterpolated($"CPU {MachineDescription.CpuModel()}, {Environment.ProcessorCount} cores, {MachineDescription.VectorInstructions()}.");

            var rows = new List<TuningRow>();
            foreach (var dataset in datasets)
            {
                var folder = Path.Combine(workRoot, "data", dataset.Name);
                if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
                dataset.Write(folder);
                var (ratings, users, movies) = DevelopmentDatasets.Count(folder);
                console.MarkupLineInterpolated($"[bold]{dataset.Name}[/]: {dataset.Shape}; {ratings:N0} ratings, {users:N0} users, {movies:N0} movies.");
                var seedText = parsed.GetValue(seed).ToString(CultureInfo.InvariantCulture);
                var outRoot = Path.Combine(workRoot, "models", dataset.Name);
                TrainerRun tuned = null!, fixedDefault = null!;
                await console.Status().StartAsync($"{dataset.Name}: train (tuned) ...", async _ =>
                    tuned = await TrainerRun.RunAsync(trainer, ["train", "--data", folder, "--out", outRoot, "--seed", seedText], ct));
                await console.Status().StartAsync($"{dataset.Name}: train --no-tune ...", async _ =>
                    fixedDefault = await TrainerRun.RunAsync(trainer, ["train", "--data", folder, "--out", outRoot, "--seed", seedText, "--no-tune"], ct));
                var row = new TuningRow(dataset, ratings, users, movies, tuned, fixedDefault);
                rows.Add(row);
                console.MarkupLineInterpolated($"  tuned {row.Tuned10:F3}x / {row.Tuned100:F3}x best-λ EASE in {tuned.WallSeconds:F0} s; fixed default {row.Fixed10:F3}x / {row.Fixed100:F3}x in {fixedDefault.WallSeconds:F0} s; chose {tuned.Chosen}.");
            }

            console.Write(TuningBenchmarkTable.Render(rows));
            var report = await BenchmarkReport.HeadAsync("tuning", "tuning", startedUtc, root, ct);
            report["command"] = "dotnet run -c Release --project bench/Benchmarks -- " + string.Join(' ', Environment.GetCommandLineArgs().Skip(1));
            report["machine"] = BenchmarkReport.Machine(loadAtStart, ProcessStats.LoadAverage());
            report["goals"] = new JsonObject
            {
                ["ml100kTimesBestLambdaEase"] = Ml100kGoal, ["ml100kSeconds"] = Ml100kSeconds,
                ["otherTimesBestLambdaEase"] = OtherGoal, ["generated10kSeconds"] = Generated10kSeconds,
            };
            report["datasets"] = new JsonArray(rows.Select(r => (JsonNode)r.ToJson()).ToArray());
            await BenchmarkReport.WriteAsync(jsonPath, report, ct);
            return 0;
        });
        return command;
    }

    private static string ResolveMl100k(string? option, string root)
    {
        var dir = !string.IsNullOrWhiteSpace(option) ? option
            : Environment.GetEnvironmentVariable("MOVIELENS_DIR") is { Length: > 0 } env ? env
            : Path.Combine(root, "..", "shared", "data", "ml-100k");
        var full = Path.GetFullPath(dir);
        if (!File.Exists(Path.Combine(full, "u.data")) || !File.Exists(Path.Combine(full, "u.item")))
            throw new UserFacingException($"{full}: not a MovieLens 100K folder (u.data and u.item); pass --data DIR or set MOVIELENS_DIR.");
        return full;
    }
}
