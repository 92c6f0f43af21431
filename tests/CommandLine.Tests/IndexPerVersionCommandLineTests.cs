using System.Text.Json;
using MovieRecommender.Artifacts;

namespace MovieRecommender.CommandLine.Tests;

/// <summary>
/// The index chosen per version, as an operator does it: <c>recommender publish ARTIFACT --index SPEC</c> against a real
/// silo process; <c>versions</c> lists the spec, <c>active</c> shows what every shard built, a silo restarted on the
/// same store builds it again with no new publish, and the answers carry exact scores throughout.
/// </summary>
public sealed class IndexPerVersionCommandLineTests
{
    private const string Spec = "ivf-int8:lists=8,probe=8";

    [Fact]
    public async Task ThePublishedIndexIsListedBuiltByEveryShardAndRebuiltAfterARestart()
    {
        using var temp = new TempFolder();
        var store = Path.Combine(temp.Path, "store");
        var folder = TestArtifacts.Write(Path.Combine(temp.Path, "models"), users: 12, items: 400, dim: 8, seed: 91);
        var artifact = ModelArtifact.Load(folder);
        var (siloPort, gatewayPort) = Ports.FreePair();

        string[] before;
        await using (var silo = await SiloProcess.StartAsync(store, siloPort, gatewayPort, withoutInheritedOtel: true))
        {
            await Succeeds(silo, "publish", folder, "--shards", "2", "--user-shards", "1", "--index", Spec);

            var versions = await Succeeds(silo, "versions");
            Assert.Contains(Spec, versions.StandardOutput);
            await WaitForActiveIndex(silo, $"Index {Spec}: ivf-int8:lists=8,probe=8", "on 2 shards");
            before = await RecommendAsync(silo, artifact);
            await silo.StopAsync();
        }

        await using (var silo = await SiloProcess.StartAsync(store, siloPort, gatewayPort, withoutInheritedOtel: true))
        {
            // The shards reload from the store and build the version's index again; meanwhile they answer by exact scan.
            Assert.Equal(before, await RecommendAsync(silo, artifact));
            await WaitForActiveIndex(silo, $"Index {Spec}: ivf-int8:lists=8,probe=8", "on 2 shards");
            Assert.Equal(before, await RecommendAsync(silo, artifact));
        }
    }

    [Fact]
    public async Task AMalformedOrOversizedIndexIsRefusedBeforeAnythingIsPushed()
    {
        using var temp = new TempFolder();
        var folder = TestArtifacts.Write(Path.Combine(temp.Path, "models"), users: 5, items: 100, dim: 4, seed: 92);
        await using var silo = await SiloProcess.StartAsync(Path.Combine(temp.Path, "store"), withoutInheritedOtel: true);

        var malformed = await silo.RunProgramAsync("Client", ["publish", folder, "--index", "ivf-int8:lists=0"]);
        Assert.Equal(2, malformed.ExitCode);
        Assert.Contains("--index expects an index KIND[:key=value,...], e.g. ivf-int8:lists=1000,probe=20, got 'ivf-int8:lists=0': lists must be a whole number of at least 1, not '0'.",
            malformed.StandardError);

        var tooManyLists = await silo.RunProgramAsync("Client", ["publish", folder, "--shards", "2", "--index", "ivf-pq4:lists=64"]);
        Assert.Equal(1, tooManyLists.ExitCode);
        Assert.Contains("The index 'ivf-pq4:lists=64' asks for 64 IVF lists, but the smallest of the 2 shards holds 50 movies; use fewer lists or fewer shards.",
            tooManyLists.StandardError);

        var versions = await Succeeds(silo, "versions");
        Assert.Contains("No version has been published yet.", versions.StandardOutput);
    }

    /// <summary>Every user's top 10 by <c>recommend --json</c>, each score checked against the exact dot product, as "id:score" lines.</summary>
    private static async Task<string[]> RecommendAsync(SiloProcess silo, ModelArtifact artifact)
    {
        var result = await Succeeds(silo, ["recommend", .. artifact.Users.Select(u => u.Id), "--json"]);
        var answers = new List<string>();
        foreach (var (line, row) in result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select((line, row) => (line, row)))
        {
            using var json = JsonDocument.Parse(line);
            foreach (var item in json.RootElement.GetProperty("items").EnumerateArray())
            {
                var id = item.GetProperty("id").GetString()!;
                var movie = artifact.Items.Select((m, r) => (m.Id, Row: r)).Single(m => m.Id == id).Row;
                var exact = Dot(artifact.UserEmbeddings.Row(row), artifact.ItemEmbeddings.Row(movie));
                Assert.Equal(exact, item.GetProperty("score").GetDouble(), 1e-4);
                answers.Add($"{artifact.Users[row].Id}:{id}:{item.GetProperty("score").GetDouble():R}");
            }
        }
        return [.. answers];
    }

    private static double Dot(ReadOnlySpan<float> x, ReadOnlySpan<float> y)
    {
        double sum = 0;
        for (var i = 0; i < x.Length; i++) sum += (double)x[i] * y[i];
        return sum;
    }

    /// <summary>Runs <c>active</c> until its index line shows every shard built (a restarted shard rebuilds in the background).</summary>
    private static async Task WaitForActiveIndex(SiloProcess silo, string start, string end)
    {
        string line = "";
        for (var attempt = 0; attempt < 60; attempt++)
        {
            var active = await Succeeds(silo, "active");
            line = active.StandardOutput.Split('\n').FirstOrDefault(l => l.StartsWith("Index ", StringComparison.Ordinal))?.Trim() ?? "";
            if (line.StartsWith(start, StringComparison.Ordinal) && line.EndsWith(end + ".", StringComparison.Ordinal)) return;
            await Task.Delay(500);
        }
        Assert.Fail($"'active' never showed every shard with the built index: last '{line}'.");
    }

    private static async Task<ChildResult> Succeeds(SiloProcess silo, params string[] arguments)
    {
        var result = await silo.RunProgramAsync("Client", arguments);
        Assert.True(result.ExitCode == 0, $"recommender {string.Join(' ', arguments)}: exit {result.ExitCode}: {result.Tail(5)}");
        return result;
    }
}
