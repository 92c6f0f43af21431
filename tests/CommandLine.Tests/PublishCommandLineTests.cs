using System.Text.Json;
using MovieRecommender.Artifacts;

namespace MovieRecommender.CommandLine.Tests;

/// <summary>
/// <c>recommender publish</c> as users run it (the built console as a process) against a real silo process: the good
/// version is published, damaged copies are refused with one line on stderr naming the file and the fault and exit code
/// 1, and <c>recommender recommend --json</c> still serves the good version's exact top K.
/// </summary>
public sealed class PublishCommandLineTests
{
    private static readonly string[] Faults =
    [
        "truncated items.npy",
        "items.npy header shape absurdly large",
        "users.npy with an infinity",
        "manifest dimension disagrees",
        "users.tsv duplicate user id",
    ];

    [Fact]
    public async Task PublishRefusesDamagedArtifactsInOneLineWithExitCode1AndTheGoodVersionKeepsServing()
    {
        using var temp = new TempFolder();
        await using var silo = await SiloProcess.StartAsync(Path.Combine(temp.Path, "store"), withoutInheritedOtel: true);
        var goodFolder = ArtifactDamage.WriteGood(Path.Combine(temp.Path, "good"));
        var good = ModelArtifact.Load(goodFolder);

        var published = await RunClientAsync(silo, "publish", goodFolder, "--shards", "2", "--user-shards", "1");
        Assert.True(published.ExitCode == 0, published.Output);

        foreach (var name in Faults)
        {
            var fault = ArtifactDamage.Named(name);
            var copy = ArtifactDamage.Apply(goodFolder, fault, rewriteChecksums: fault.InContent, temp.Path);
            var result = await RunClientAsync(silo, "publish", copy);

            Assert.True(result.ExitCode == 1, $"{name}: exit {result.ExitCode}: {result.Output}");
            var line = Assert.Single(result.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
            Assert.StartsWith("recommender: " + ArtifactDamage.ExpectedStart(copy, fault, rewritten: fault.InContent), line, StringComparison.Ordinal);
        }

        // Still the good version, exactly: a user's top 10 by the console, against the brute force over the good artifact.
        var recommended = await RunClientAsync(silo, "recommend", good.Users[0].Id, good.Users[3].Id, "--json");
        Assert.True(recommended.ExitCode == 0, recommended.Output);
        var lines = recommended.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        foreach (var (json, row) in lines.Zip(new[] { 0, 3 }))
        {
            using var answer = JsonDocument.Parse(json);
            Assert.Equal(good.Manifest.Version, answer.RootElement.GetProperty("modelVersion").GetString());
            var expected = TestArtifacts.BruteForceTopK(good, row, 10);
            var served = answer.RootElement.GetProperty("items").EnumerateArray().ToList();
            Assert.Equal(expected.Select(e => good.Items[e.Row].Id), served.Select(i => i.GetProperty("id").GetString()));
            Assert.All(expected.Zip(served), p => Assert.Equal(p.First.Score, p.Second.GetProperty("score").GetSingle(), 1e-4f));
        }
    }

    private static Task<ChildResult> RunClientAsync(SiloProcess silo, params string[] arguments) =>
        silo.RunProgramAsync("Client", arguments, TimeSpan.FromSeconds(60));
}
