using System.CommandLine;
using MovieRecommender.CommandLine;
using MovieRecommender.Trainer.Data;
using Spectre.Console;

namespace MovieRecommender.Trainer.Commands;

/// <summary>
/// <c>--data</c> and <c>--skip-bad-rows</c> as the commands that read a MovieLens folder and nothing else beside it
/// (evaluate, spread, ablation) take them: one definition, so they validate and load alike.
/// </summary>
public sealed class DatasetOptions(string dataDescription = "MovieLens folder")
{
    public Option<string?> Data { get; } =
        new Option<string?>("--data") { Description = $"{dataDescription}; else ${DatasetLocator.EnvironmentVariable}." }.ExistingFolder();

    public Option<bool> SkipBadRows { get; } =
        new("--skip-bad-rows") { Description = "Skip bad data rows and report how many of each kind, instead of stopping at the first." };

    /// <summary>The folder given (else the environment's), loaded as the options say.</summary>
    public InteractionDataset Load(ParseResult parsed, IAnsiConsole console) =>
        DatasetLoading.Load(DatasetLocator.Resolve(parsed.GetValue(Data), console), null, parsed.GetValue(SkipBadRows), console);
}
