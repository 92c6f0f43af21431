using System.Text.Json.Nodes;
using MovieRecommender.Artifacts;

namespace MovieRecommender.CommandLine.Tests;

/// <summary>
/// <c>recommender load --callers N</c>, the closed loop the HTTP benchmark sets beside autocannon's connections, through
/// the real command line against a real silo process: every answer checked against brute force, its report saying
/// it was a closed loop of N callers, and --callers refused beside the open loop's --rps.
/// </summary>
public sealed class LoadClosedLoopCommandLineTests
{
    [Fact]
    public async Task ClosedLoopAnswersEveryRequestExactlyAndReportsItsCallersAndRate()
    {
        using var temp = new TempFolder();
        await using var silo = await SiloProcess.StartAsync(Path.Combine(temp.Path, "store"), withoutInheritedOtel: true);
        var artifact = TestArtifacts.Write(Path.Combine(temp.Path, "model"), users: 60, items: 300, dim: 8, seed: 11);
        var published = await silo.RunProgramAsync("Client", ["publish", artifact, "--shards", "2", "--user-shards", "1"]);
        Assert.True(published.ExitCode == 0, published.Output);

        var json = Path.Combine(temp.Path, "load.json");
        var load = await silo.RunProgramAsync("Client", ["load", "--callers", "3", "--duration", "2", "--verify", artifact, "--quiet", "--json", json]);
        Assert.True(load.ExitCode == 0, load.Output);
        Assert.Contains("closed loop, 3 callers", load.Output);

        var report = JsonNode.Parse(await File.ReadAllTextAsync(json))!;
        var requests = report["requests"]!.GetValue<int>();
        Assert.True(requests > 10, $"only {requests} requests in 2 s");
        Assert.Equal(3, report["callers"]!.GetValue<int>());
        Assert.Equal(0, report["failures"]!.GetValue<int>());
        Assert.Equal(0, report["wrongResults"]!.GetValue<int>());
        Assert.Equal(requests, report["succeeded"]!.GetValue<int>());
        // The rate is what was answered over the time the loop ran (about the 2 s asked, plus the last calls' finish).
        var seconds = report["durationSeconds"]!.GetValue<double>();
        Assert.InRange(seconds, 1.9, 10.0);
        Assert.Equal(Math.Round(requests / seconds, 1), report["achievedRps"]!.GetValue<double>(), 1);
        var (p50, p90, p99) = (report["p50Ms"]!.GetValue<double>(), report["p90Ms"]!.GetValue<double>(), report["p99Ms"]!.GetValue<double>());
        Assert.True(p50 > 0 && p50 <= p90 && p90 <= p99, $"p50 {p50}, p90 {p90}, p99 {p99}");
        Assert.Equal(ModelArtifact.Load(artifact).Manifest.Version, Assert.Single(report["versions"]!.AsObject()).Key);

        var both = await silo.RunProgramAsync("Client", ["load", "--callers", "3", "--rps", "50"]);
        Assert.Equal(2, both.ExitCode);
        Assert.Contains("--callers runs a closed loop", both.StandardError);
    }
}
