using System.CommandLine;
using System.Globalization;
using MovieRecommender.Artifacts;
using MovieRecommender.CommandLine;
using MovieRecommender.Trainer.Data;
using MovieRecommender.Trainer.Evaluation;
using Spectre.Console;

namespace MovieRecommender.Trainer.Commands;

/// <summary>
/// <c>evaluate ARTIFACT_DIR [--data DIR]</c>: recomputes the evaluation table from the artifact's own embeddings
/// and seen lists (test = the dataset's other pairs) and compares it with the manifest's; exits 1 when they
/// differ by more than the tolerance.
/// </summary>
public static class EvaluateCommand
{
    public const double Tolerance = 0.003;

    public static Command Create()
    {
        var artifactDir = new Argument<string>("artifact") { Description = "The artifact folder to check." }.ExistingFolder();
        var datasetOptions = new DatasetOptions("The MovieLens folder it was trained on");
        var command = new Command("evaluate", "Recompute an artifact's evaluation table from its own files and compare it with its manifest.") { artifactDir, datasetOptions.Data, datasetOptions.SkipBadRows };
        command.SetAction((parsed, _) =>
        {
            var artifact = ModelArtifact.Load(parsed.GetValue(artifactDir)!);
            var recomputed = ArtifactEvaluation.Recompute(artifact, datasetOptions.Load(parsed, AnsiConsole.Console));
            AnsiConsole.Write(EvaluationTableView.Render(recomputed, artifact.Manifest.TrainingSeconds)
                .Title($"recomputed from {Markup.Escape(artifact.Folder)}"));
            var difference = ArtifactEvaluation.MaxDifference(artifact.Manifest.Evaluation, recomputed);
            var agrees = difference <= Tolerance;
            AnsiConsole.MarkupLine($"Largest difference from the manifest's table: {difference.ToString("F5", CultureInfo.InvariantCulture)} " +
                (agrees ? $"[green](within {Tolerance})[/]" : $"[red](over {Tolerance})[/]"));
            return Task.FromResult(agrees ? 0 : 1);
        });
        return command;
    }
}
