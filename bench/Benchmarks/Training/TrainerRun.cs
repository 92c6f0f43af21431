using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using MovieRecommender.Artifacts;
using MovieRecommender.CommandLine;

namespace MovieRecommender.Benchmarks.Training;

/// <summary>One <c>train</c> run through the trainer's command line: its wall and CPU time, the artifact it wrote and what its manifest says.</summary>
public sealed record TrainerRun(IReadOnlyList<string> Arguments, double WallSeconds, double? CpuSeconds, string Artifact, ModelManifest Manifest)
{
    public double Model(int k) => Manifest.Evaluation.Model.SeenExcluded[K(k)];

    public double Ease(int k) => Manifest.Evaluation.Ease.SeenExcluded[K(k)];

    public double EaseLambda => Manifest.HyperParameters["easeLambda"]!.GetValue<double>();

    /// <summary>EASE's best figure at K over its λ grid on the test pairs, and that λ.</summary>
    public (double Value, double Lambda) BestEase(int k)
    {
        var best = Manifest.HyperParameters["easeOnTestReference"]!["grid"]!.AsArray()
            .Select(t => (Value: t!["top" + K(k)]!.GetValue<double>(), Lambda: t["lambda"]!.GetValue<double>())).MaxBy(t => t.Value);
        return best;
    }

    public JsonObject? Tuning => Manifest.HyperParameters["tuning"] as JsonObject;

    /// <summary>Tuning's seconds over the final run's: what the search cost in runs.</summary>
    public double? TuningRuns => Tuning?["seconds"]?.GetValue<double>() is { } seconds && Manifest.TrainingSeconds > 0 ? seconds / Manifest.TrainingSeconds : null;

    public string Chosen => Tuning?["chosen"] is JsonObject c
        ? string.Create(CultureInfo.InvariantCulture, $"T {c["temperature"]}, {c["epochs"]} ep, lr {c["lr"]}, wd {c["weightDecay"]}")
        : "-";

    private static string K(int k) => k.ToString(CultureInfo.InvariantCulture);

    /// <param name="withoutInheritedOtel">Drop this process's OTEL_* variables, so the trainer exports no telemetry unless told.</param>
    public static async Task<TrainerRun> RunAsync(string trainerDll, IReadOnlyList<string> arguments, CancellationToken ct, bool withoutInheritedOtel = true)
    {
        var cwd = Directory.GetCurrentDirectory();
        var run = await ChildProcess.RunAsync(ChildProcess.DotnetHost(), [trainerDll, .. arguments], cwd, null, ct, withoutInheritedOtel);
        if (run.ExitCode != 0)
            throw new UserFacingException($"train {string.Join(' ', arguments)} failed (exit {run.ExitCode}): {run.Tail()}");
        var artifact = Path.GetFullPath(run.LastLine, cwd);
        var manifestPath = Path.Combine(artifact, ModelManifest.FileName);
        if (!File.Exists(manifestPath))
            throw new UserFacingException($"train's last line '{run.LastLine}' is not an artifact folder with {ModelManifest.FileName}.");
        try
        {
            return new TrainerRun(arguments, run.WallSeconds, run.CpuSeconds, artifact, ModelManifest.FromJson(await File.ReadAllTextAsync(manifestPath, ct), manifestPath));
        }
        catch (JsonException e)
        {
            throw new UserFacingException($"{manifestPath}: unreadable manifest ({e.Message}).", e);
        }
    }
}
