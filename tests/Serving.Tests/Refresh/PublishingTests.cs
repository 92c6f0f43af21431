using MovieRecommender.Artifacts;
using MovieRecommender.Grains;
using MovieRecommender.Operations.Publishing;
using MovieRecommender.Serving.Tests.Cluster;

namespace MovieRecommender.Serving.Tests.Refresh;

/// <summary>Publishing as a transaction: no mixed versions under load, failures leave the old version serving, rollback.</summary>
[Collection(ClusterCollection.Name)]
public sealed class PublishingTests(ClusterFixture fixture)
{
    private const int K = 10;

    [Fact]
    public async Task EveryResultUnderLoadIsExactlyTheTopKOfTheVersionItReports()
    {
        using var temp = new TempFolder();
        // Two versions of the same users, so that every caller's user is known to both.
        var v1 = ModelArtifact.Load(TestArtifacts.Write(temp.Path, users: 60, items: 400, dim: 16, seed: 101, userIdBase: 1_010_000));
        var v2 = ModelArtifact.Load(TestArtifacts.Write(temp.Path, users: 60, items: 400, dim: 16, seed: 102, userIdBase: 1_010_000));
        var byVersion = new Dictionary<string, ModelArtifact> { [v1.Manifest.Version] = v1, [v2.Manifest.Version] = v2 };
        var publisher = new ArtifactPublisher(fixture.Client);
        await publisher.PublishAsync(v1, new PublishOptions { CandidateShards = 3, UserShards = 2, ChunkBytes = 2048 });

        var load = RecommendationLoad.Start(fixture.Client, v1, K);
        await Task.Delay(300);
        await publisher.PublishAsync(v2, new PublishOptions { CandidateShards = 5, UserShards = 3, ChunkBytes = 2048 });
        await Task.Delay(300);
        await load.StopAsync();

        Assert.Empty(load.Failures);
        Assert.Contains(load.Results, r => r.Result.ModelVersion == v1.Manifest.Version);
        Assert.Contains(load.Results, r => r.Result.ModelVersion == v2.Manifest.Version);
        Assert.Equal(0, load.Results.Count(r => !ServedAnswers.IsExactTopK(byVersion[r.Result.ModelVersion], r.Row, r.Result, K)));
    }

    [Fact]
    public async Task APublishThatFailsHalfwayLeavesTheOldVersionServingAndCompletesWhenRunAgain()
    {
        using var temp = new TempFolder();
        var old = ModelArtifact.Load(TestArtifacts.Write(temp.Path, users: 30, items: 300, dim: 8, seed: 201));
        var next = ModelArtifact.Load(TestArtifacts.Write(temp.Path, users: 30, items: 300, dim: 8, seed: 202));
        var publisher = new ArtifactPublisher(fixture.Client);
        var options = new PublishOptions { CandidateShards = 3, UserShards = 2, ChunkBytes = 1024 };
        await publisher.PublishAsync(old, options);

        // Kill the publish after its first chunk.
        using var kill = new CancellationTokenSource();
        var progress = new SynchronousProgress(_ => kill.Cancel());
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => publisher.PublishAsync(next, options, progress, kill.Token));

        await AssertServesBruteForceAsync(old, 0);

        await publisher.PublishAsync(next, options);
        await AssertServesBruteForceAsync(next, 0);
    }

    [Fact]
    public async Task PublishingTheSameArtifactTwiceIsHarmless()
    {
        using var temp = new TempFolder();
        var artifact = ModelArtifact.Load(TestArtifacts.Write(temp.Path, users: 20, items: 100, dim: 8, seed: 301));
        var publisher = new ArtifactPublisher(fixture.Client);
        var options = new PublishOptions { CandidateShards = 2, UserShards = 2 };
        await publisher.PublishAsync(artifact, options);
        await publisher.PublishAsync(artifact, options);

        await AssertServesBruteForceAsync(artifact, 3);
    }

    [Fact]
    public async Task RollbackRestoresThePreviousVersionAndOlderVersionsAreRetired()
    {
        using var temp = new TempFolder();
        var artifacts = Enumerable.Range(0, 3)
            .Select(i => ModelArtifact.Load(TestArtifacts.Write(temp.Path, users: 15, items: 80, dim: 4, seed: 400 + i))).ToArray();
        var publisher = new ArtifactPublisher(fixture.Client);
        var registry = fixture.Client.GetGrain<IModelRegistryGrain>(IModelRegistryGrain.DefaultKey);
        var options = new PublishOptions { CandidateShards = 2, UserShards = 1 };

        await publisher.PublishAsync(artifacts[0], options);
        await publisher.PublishAsync(artifacts[1], options);
        var rolledBackTo = await registry.Rollback();
        Assert.Equal(artifacts[0].Manifest.Version, rolledBackTo.Info.Version);
        await AssertServesBruteForceAsync(artifacts[0], 2);

        // Active v0, previous v1; publishing v2 keeps v0 as previous and retires v1.
        await publisher.PublishAsync(artifacts[2], options);
        var statuses = (await registry.ListVersions()).ToDictionary(v => v.Info.Version, v => v.Status);
        Assert.Equal(VersionStatus.Active, statuses[artifacts[2].Manifest.Version]);
        Assert.Equal(VersionStatus.Previous, statuses[artifacts[0].Manifest.Version]);
        Assert.Equal(VersionStatus.Retired, statuses[artifacts[1].Manifest.Version]);
        await Assert.ThrowsAnyAsync<Exception>(() =>
            fixture.Client.GetGrain<ICandidateShardGrain>(ICandidateShardGrain.Key(artifacts[1].Manifest.Version, 0)).Search(new ShardSearchRequest([1, 2, 3, 4], K, [])));
    }

    [Fact]
    public async Task ABadArtifactIsRefusedBeforeAnythingIsPushed()
    {
        using var temp = new TempFolder();
        var good = ModelArtifact.Load(TestArtifacts.Write(temp.Path, users: 10, items: 40, dim: 4, seed: 501));
        await new ArtifactPublisher(fixture.Client).PublishAsync(good, new PublishOptions { CandidateShards = 2 });
        var bad = TestArtifacts.Write(temp.Path, users: 10, items: 40, dim: 4, seed: 502);
        var path = Path.Combine(bad, "users.npy");
        var bytes = File.ReadAllBytes(path);
        bytes[^1] ^= 0x40;
        File.WriteAllBytes(path, bytes);

        Assert.Throws<ArtifactException>(() => ModelArtifact.Load(bad));

        var active = await fixture.Client.GetGrain<IModelRegistryGrain>(IModelRegistryGrain.DefaultKey).GetActive();
        Assert.Equal(good.Manifest.Version, active!.Info.Version);
    }

    private sealed class SynchronousProgress(Action<PublishProgress> report) : IProgress<PublishProgress>
    {
        public void Report(PublishProgress value) => report(value);
    }

    /// <summary>A user's recommendation comes from <paramref name="artifact"/>'s version and matches its brute-force top K.</summary>
    private Task AssertServesBruteForceAsync(ModelArtifact artifact, int userRow) =>
        ServedAnswers.AssertServedExactlyAsync(fixture.Client, artifact, userRow, K);
}
