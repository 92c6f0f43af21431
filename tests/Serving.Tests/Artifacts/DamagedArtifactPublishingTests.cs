using MovieRecommender.Artifacts;
using MovieRecommender.CommandLine;
using MovieRecommender.Grains;
using MovieRecommender.Operations.Publishing;
using MovieRecommender.Serving.Tests.Cluster;
using Spectre.Console;

namespace MovieRecommender.Serving.Tests.Artifacts;

/// <summary>
/// A good version is published into a cluster; then every damaged copy of <see cref="ArtifactDamage.All"/> (checksums as
/// they were, and rewritten to match the damage) goes through the console's publish (<see cref="PublishConsole"/>, what
/// <c>recommender publish</c> runs) and is refused with its one-line answer; the good version stays active and every
/// user's recommendation is still exactly its brute-force top K.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class DamagedArtifactPublishingTests(ClusterFixture fixture)
{
    private const int K = 10;

    [Fact]
    public async Task EveryDamagedArtifactIsRefusedAndTheActiveVersionKeepsServingExactly()
    {
        using var temp = new TempFolder();
        var goodFolder = ArtifactDamage.WriteGood(Path.Combine(temp.Path, "good"));
        var good = ModelArtifact.Load(goodFolder);
        await new ArtifactPublisher(fixture.Client).PublishAsync(good, new PublishOptions { CandidateShards = 2, UserShards = 2 });
        await AssertServesExactlyAsync(good);

        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(new StringWriter()) });
        var refused = new List<string>();
        foreach (var fault in ArtifactDamage.All)
            foreach (var rewritten in fault.InContent ? new[] { false, true } : [false])
            {
                var copy = ArtifactDamage.Apply(goodFolder, fault, rewritten, temp.Path);
                // Were the artifact accepted, publishing would go on to connect to a cluster: none answers within 5 s here.
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                var error = await Assert.ThrowsAsync<ArtifactException>(() => PublishConsole.PublishAsync(copy, console, timeout.Token));
                Assert.StartsWith(ArtifactDamage.ExpectedStart(copy, fault, rewritten), error.Message, StringComparison.Ordinal);
                Assert.DoesNotContain('\n', error.Message);
                refused.Add($"{fault.Name}{(rewritten ? " (checksums rewritten)" : "")}");
            }

        Assert.Equal(ArtifactDamage.All.Count + ArtifactDamage.All.Count(f => f.InContent), refused.Count);
        var active = await fixture.Client.GetGrain<IModelRegistryGrain>(IModelRegistryGrain.DefaultKey).GetActive();
        Assert.Equal(good.Manifest.Version, active!.Info.Version);
        await AssertServesExactlyAsync(good);
    }

    /// <summary>Every user of <paramref name="artifact"/> is served by its version, exactly its brute-force top K.</summary>
    private async Task AssertServesExactlyAsync(ModelArtifact artifact)
    {
        for (var row = 0; row < artifact.Users.Count; row++)
            await ServedAnswers.AssertServedExactlyAsync(fixture.Client, artifact, row, K);
    }
}
