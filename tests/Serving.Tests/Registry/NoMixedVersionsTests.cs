using MovieRecommender.Artifacts;
using MovieRecommender.Grains;
using MovieRecommender.Operations.Publishing;
using MovieRecommender.Serving.Tests.Cluster;

namespace MovieRecommender.Serving.Tests.Registry;

/// <summary>
/// No answer mixes versions while versions change under load, on three silos whose views learn of each change
/// only from the registry's notifications (the refresh never runs here): a publish, a rollback, and a publish that
/// retires the version some requests are still on.
/// </summary>
[Collection(RegistryCollection.Name)]
public sealed class NoMixedVersionsTests(RegistryClusterFixture fixture)
{
    private const int K = 10;

    [Fact]
    public async Task EveryAnswerWhilePublishingAndRollingBackIsTheExactTopKOfTheVersionItReports()
    {
        using var temp = new TempFolder();
        // The same users in each version, split differently, so a mixed answer could not pass for either.
        var versions = Enumerable.Range(0, 3)
            .Select(i => ModelArtifact.Load(TestArtifacts.Write(temp.Path, users: 60, items: 300, dim: 16, seed: 1601 + i, userIdBase: 16_000_000)))
            .ToArray();
        var byVersion = versions.ToDictionary(v => v.Manifest.Version);
        var publisher = new ArtifactPublisher(fixture.Client);
        var registry = fixture.Client.GetGrain<IModelRegistryGrain>(IModelRegistryGrain.DefaultKey);
        await publisher.PublishAsync(versions[0], new PublishOptions { CandidateShards = 3, UserShards = 2, ChunkBytes = 2048 });

        var load = RecommendationLoad.Start(fixture.Client, versions[0], K);
        // v0 → v1 → (rollback) v0 → v2, which retires v1 while requests may still be on it.
        await Task.Delay(300);
        await publisher.PublishAsync(versions[1], new PublishOptions { CandidateShards = 4, UserShards = 3, ChunkBytes = 2048 });
        await Task.Delay(300);
        await registry.Rollback();
        await Task.Delay(300);
        await publisher.PublishAsync(versions[2], new PublishOptions { CandidateShards = 5, UserShards = 2, ChunkBytes = 2048 });
        await Task.Delay(300);
        await load.StopAsync();

        Assert.Empty(load.Failures);
        Assert.All(versions, v => Assert.Contains(load.Results, r => r.Result.ModelVersion == v.Manifest.Version));
        Assert.Equal(0, load.Results.Count(r => !ServedAnswers.IsExactTopK(byVersion[r.Result.ModelVersion], r.Row, r.Result, K)));
    }
}
