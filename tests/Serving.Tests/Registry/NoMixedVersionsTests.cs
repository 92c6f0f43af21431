using System.Collections.Concurrent;
using MovieRecommender.Artifacts;
using MovieRecommender.ClusterClient.Publishing;
using MovieRecommender.Grains;

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

        using var stop = new CancellationTokenSource();
        var results = new ConcurrentBag<(int Row, Recommendation Result)>();
        var failures = new ConcurrentBag<Exception>();
        var callers = Enumerable.Range(0, 8).Select(caller => Task.Run(async () =>
        {
            var random = new Random(caller);
            while (!stop.IsCancellationRequested)
            {
                var row = random.Next(versions[0].Users.Count);
                try { results.Add((row, await fixture.Client.GetGrain<IUserGrain>(versions[0].Users[row].Id).Recommend(K))); }
                catch (Exception e) { failures.Add(e); }
            }
        })).ToArray();

        // v0 → v1 → (rollback) v0 → v2, which retires v1 while requests may still be on it.
        await Task.Delay(300);
        await publisher.PublishAsync(versions[1], new PublishOptions { CandidateShards = 4, UserShards = 3, ChunkBytes = 2048 });
        await Task.Delay(300);
        await registry.Rollback();
        await Task.Delay(300);
        await publisher.PublishAsync(versions[2], new PublishOptions { CandidateShards = 5, UserShards = 2, ChunkBytes = 2048 });
        await Task.Delay(300);
        await stop.CancelAsync();
        await Task.WhenAll(callers);

        Assert.Empty(failures);
        Assert.All(versions, v => Assert.Contains(results, r => r.Result.ModelVersion == v.Manifest.Version));
        var mismatches = results.Count(r =>
        {
            var expected = TestArtifacts.BruteForceTopK(byVersion[r.Result.ModelVersion], r.Row, K);
            return r.Result.ShardsAnswered != r.Result.ShardCount
                || !expected.Select(e => e.Row).SequenceEqual(r.Result.Movies.Select(m => m.Row))
                || expected.Zip(r.Result.Movies).Any(p => Math.Abs(p.First.Score - p.Second.Score) > 1e-4);
        });
        Assert.Equal(0, mismatches);
    }
}
