using System.CommandLine;
using MovieRecommender.CommandLine;
using MovieRecommender.Operations.Publishing;
using Spectre.Console;

namespace MovieRecommender.Client.Commands;

/// <summary><c>publish ARTIFACT_DIR [--shards S] [--user-shards U]</c>: verifies an artifact, pushes it into the running cluster and makes it active.</summary>
public static class PublishCommand
{
    public static Command Create()
    {
        var artifact = new Argument<string>("artifact") { Description = "The artifact folder that 'train' printed on its last line." }.ExistingFolder();
        var command = new Command("publish", "Publish a model artifact into the running cluster and make it the active version.") { artifact };
        foreach (var option in PublishConsole.LayoutOptions) command.Options.Add(option);
        command.SetAction(async (parsed, ct) =>
        {
            await PublishConsole.PublishAsync(parsed.GetValue(artifact)!, AnsiConsole.Console, PublishConsole.ReadLayout(parsed), ct);
            return 0;
        });
        return command;
    }
}
