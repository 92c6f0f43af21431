using System.Text.Json;
using System.Xml.Linq;
using MovieRecommender.Testing;

namespace MovieRecommender.CommandLine.Tests;

/// <summary>
/// The console and the trainer through their real command line: help and errors name each program as users type it,
/// the .NET tool command its project packs (ToolCommandName) and the repository's tool manifest installs.
/// </summary>
public sealed class ToolNameTests
{
    public static TheoryData<string, string> Programs => new()
    {
        { "Client", "recommender" },
        { "Trainer", "recommender-trainer" },
    };

    [Theory]
    [MemberData(nameof(Programs))]
    public void TheNameIsTheToolCommandTheProjectPacksAndTheManifestInstalls(string project, string tool)
    {
        var csproj = XDocument.Load(Path.Combine(RepositoryRoot.Path, "src", project, $"{project}.csproj"));
        Assert.Equal("true", csproj.Descendants("PackAsTool").Single().Value);
        Assert.Equal(tool, csproj.Descendants("ToolCommandName").Single().Value);

        using var manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(RepositoryRoot.Path, ".config", "dotnet-tools.json")));
        var entry = manifest.RootElement.GetProperty("tools").GetProperty($"movierecommender.{project.ToLowerInvariant()}");
        Assert.Equal([tool], entry.GetProperty("commands").EnumerateArray().Select(c => c.GetString()));
        Assert.Equal(csproj.Descendants("Version").Single().Value, entry.GetProperty("version").GetString());
    }

    [Theory]
    [MemberData(nameof(Programs))]
    public async Task HelpShowsTheToolNameInItsUsage(string project, string tool)
    {
        var result = await RunAsync(project, "--help");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains($"Usage:\n  {tool} [command] [options]", result.StandardOutput.ReplaceLineEndings("\n"), StringComparison.Ordinal);
        Assert.DoesNotContain($"MovieRecommender.{project}", result.StandardOutput, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Programs))]
    public async Task ASubcommandHelpShowsTheToolNameFirst(string project, string tool)
    {
        var command = project == "Client" ? "recommend" : "train";
        var result = await RunAsync(project, command, "--help");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains($"  {tool} {command} ", result.StandardOutput, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Programs))]
    public async Task AnUnknownCommandIsAnsweredInOneLineNamingTheProgram(string project, string tool)
    {
        var result = await RunAsync(project, "recomend", "42");

        Assert.Equal(2, result.ExitCode);
        var line = Assert.Single(result.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        Assert.StartsWith($"{tool}: ", line, StringComparison.Ordinal);
        Assert.EndsWith($"Run '{tool} --help' for usage.", line, StringComparison.Ordinal);
        Assert.Equal("", result.StandardOutput.Trim());
    }

    private static async Task<ChildResult> RunAsync(string project, params string[] arguments)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        return await ChildProcess.RunAsync(ChildProcess.DotnetHost(), [RepositoryRoot.ProgramDll(project), .. arguments],
            RepositoryRoot.Path, environment: null, timeout.Token, withoutInheritedOtel: true);
    }
}
