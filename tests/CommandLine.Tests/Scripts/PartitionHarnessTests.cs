using System.Text.Json;
using MovieRecommender.Testing;

namespace MovieRecommender.CommandLine.Tests.Scripts;

/// <summary>
/// The short form of scripts/partition.sh, in CI, through its own command line: three silos, Redis and the load
/// generator in network namespaces of their own, one silo cut off from everything for 10 s under load and healed.
/// Every answer is checked against the exact top 10; no answer may be wrong, no two activations of a shard may
/// answer at once, answers cover every shard again within 30 s of the heal, and nothing the harness made is left.
/// </summary>
public sealed class PartitionHarnessTests
{
    [SkippableFact]
    public async Task OneSiloCutOffAndHealedUnderLoadGivesNoWrongAnswerAndLeavesNothingBehind()
    {
        using var temp = new TempFolder();
        var artifact = TestArtifacts.Write(Path.Combine(temp.Path, "models"), users: 30, items: 240, dim: 8, seed: 4343);
        var report = Path.Combine(temp.Path, "partition.json");
        var namespacesBefore = await NamespacesAsync();

        var run = await ChildProcess.RunAsync("bash", [Path.Combine(RepositoryRoot.Path, "scripts", "partition.sh"),
                "--no-build", "--artifact", artifact, "--scenarios", "isolate-silo", "--cut-seconds", "10", "--before", "5", "--after", "15",
                "--rps", "100", "--json", report],
            RepositoryRoot.Path, null, CancellationToken.None);

        Skip.If(run.ExitCode == 3, $"This machine refuses network namespaces: {run.StandardError.Trim()}");
        Assert.True(run.ExitCode == 0, $"partition.sh exited {run.ExitCode}:\n{run.Tail(30)}\n{run.StandardError}");
        using var json = JsonDocument.Parse(await File.ReadAllTextAsync(report));
        var scenario = Assert.Single(json.RootElement.GetProperty("scenarios").EnumerateArray());
        Assert.Equal("isolate-silo", scenario.GetProperty("name").GetString());
        Assert.Equal(3000, scenario.GetProperty("requests").GetInt32());
        Assert.Equal(0, scenario.GetProperty("wrong").GetInt32());
        Assert.Equal(0, scenario.GetProperty("duplicateActivations").GetInt32());
        Assert.InRange(scenario.GetProperty("recoverySeconds").GetDouble(), 0, 30);
        Assert.Contains("CPU ", run.StandardOutput);
        Assert.Equal(namespacesBefore, await NamespacesAsync());
    }

    private static async Task<string[]> NamespacesAsync()
    {
        var list = await ChildProcess.RunAsync("ip", ["netns", "list"], RepositoryRoot.Path, null, CancellationToken.None);
        return [.. list.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split(' ')[0]).Where(n => n.StartsWith("mr", StringComparison.Ordinal)).Order()];
    }
}
