using System.CommandLine;
using MovieRecommender.Artifacts;
using MovieRecommender.Cluster;
using MovieRecommender.CommandLine;
using MovieRecommender.Grains;
using MovieRecommender.Operations.Verification;
using Spectre.Console;

namespace MovieRecommender.Client.Commands;

/// <summary>
/// <c>verify ARTIFACT_DIR [--k N]</c>: checks that the cluster serves every user of the artifact exactly the
/// brute-force top K of its embeddings; exits non-zero on any difference.
/// </summary>
public static class VerifyCommand
{
    public static Command Create()
    {
        var artifactDir = new Argument<string>("artifact") { Description = "The published artifact folder." }.ExistingFolder();
        var k = KOption.Create("How many movies to compare per user");
        var command = new Command("verify", "Check that the cluster serves every user of an artifact its exact top K.") { artifactDir, k };
        command.SetAction((parsed, ct) => RunAsync(parsed.GetValue(artifactDir)!, parsed.GetValue(k), ct));
        return command;
    }

    private static async Task<int> RunAsync(string artifactDir, int k, CancellationToken ct)
    {
        var artifact = ModelArtifact.Load(artifactDir);
        await using var cluster = await ClusterConnection.ConnectAsync(ct);
        var verifier = new ServingVerifier(cluster.Client, artifact);
        VerificationReport report = null!;
        await AnsiConsole.Progress().AutoClear(true).StartAsync(async progress =>
        {
            var task = progress.AddTask("verifying every user", maxValue: artifact.Users.Count);
            report = await verifier.VerifyAsync(k, new Progress<(int Done, int Total)>(p => (task.MaxValue, task.Value) = (p.Total, p.Done)), ct);
        });

        foreach (var example in report.Examples) AnsiConsole.MarkupLineInterpolated($"[red]{example}[/]");
        var verdict = report.Passed ? "[green]exact[/]" : "[red]NOT exact[/]";
        AnsiConsole.MarkupLine($"Version {Markup.Escape(artifact.Manifest.Version)}: {report.Exact}/{report.Users} users served their exact top {k} ({verdict}); " +
            $"{report.Mismatched} mismatched, {report.Failed} failed, largest score error {report.MaxScoreError:G3}.");
        if (report.UsersWithLiveState > 0)
            AnsiConsole.MarkupLineInterpolated($"The reference counted the live state of {report.UsersWithLiveState} users (ratings or a profile recorded since training, or an erasure), folded in as the user grains fold them.");
        if (report.LiveChanges > 0)
            AnsiConsole.MarkupLineInterpolated($"The reference counted the live catalogue's {report.LiveChanges} changes (movies put and taken down since the version was published).");
        return report.Passed ? 0 : 1;
    }
}
