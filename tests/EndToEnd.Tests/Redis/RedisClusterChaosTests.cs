using System.Diagnostics;
using MovieRecommender.Artifacts;
using MovieRecommender.Cluster;
using MovieRecommender.EndToEnd.Tests;
using MovieRecommender.Grains;
using MovieRecommender.Operations.Publishing;

namespace MovieRecommender.EndToEnd.Tests.Redis;

/// <summary>
/// The short form of scripts/chaos.sh, in CI: three real silo processes in cluster mode on a throwaway Redis, a
/// model published in six shards, requests running while one silo is killed with kill -9. The survivors take over
/// its grains from Redis: no answer is ever wrong or silently partial, every answer is complete again within 30 s,
/// a rating recorded before the crash survives it, and after a full restart of every silo (Redis kept) the same
/// version serves again without a new publish.
/// </summary>
public sealed class RedisClusterChaosTests
{
    private const int K = 10;

    [Fact]
    public async Task KillNineOfOneSiloUnderLoadLosesNothingAndAFullRestartServesWithoutRepublishing()
    {
        using var temp = new TempFolder();
        using var redis = await RedisServer.StartAsync(Path.Combine(temp.Path, "redis"));
        var (siloSettings, clientSettings) = redis.NewCluster();
        var artifact = ModelArtifact.Load(TestArtifacts.Write(Path.Combine(temp.Path, "models"), users: 30, items: 240, dim: 8, seed: 4242));
        var expected = Enumerable.Range(0, artifact.Users.Count).Select(row => TestArtifacts.BruteForceTopK(artifact, row, K)).ToArray();
        var rater = artifact.Users[0].Id;

        var silos = await StartSilos(3, temp.Path, siloSettings);
        try
        {
            Recommendation raterBefore;
            await using (var cluster = await ClusterConnection.ConnectAsync(settings: clientSettings))
            {
                await new ArtifactPublisher(cluster.Client).PublishAsync(artifact, new PublishOptions { CandidateShards = 6, UserShards = 3 });
                var first = await cluster.Client.GetGrain<IUserGrain>(rater).Recommend(K);
                await cluster.Client.GetGrain<IUserGrain>(rater).Rate(first.Movies[0].Id, 5);
                raterBefore = await cluster.Client.GetGrain<IUserGrain>(rater).Recommend(K);
                Assert.DoesNotContain(raterBefore.Movies, m => m.Id == first.Movies[0].Id);

                // Load: every user over and over, 2 s before the kill, then until answers have been complete for 3 s.
                var clock = Stopwatch.StartNew();
                var results = new List<(double At, bool Complete, string? Wrong)>();
                double killedAt = -1;
                while (clock.Elapsed < TimeSpan.FromSeconds(60))
                {
                    if (killedAt < 0 && clock.Elapsed.TotalSeconds >= 2)
                    {
                        await silos[1].KillAsync();
                        killedAt = clock.Elapsed.TotalSeconds;
                    }
                    var round = await Task.WhenAll(Enumerable.Range(1, artifact.Users.Count - 1).Select(async row =>
                    {
                        try
                        {
                            var served = await cluster.Client.GetGrain<IUserGrain>(artifact.Users[row].Id).Recommend(K).WaitAsync(TimeSpan.FromSeconds(15));
                            if (served.ShardsAnswered < served.ShardCount) return (clock.Elapsed.TotalSeconds, false, (string?)null);
                            return (clock.Elapsed.TotalSeconds, true, Compare(served, expected[row], artifact.Manifest.Version));
                        }
                        catch (Exception e) when (e is not Xunit.Sdk.XunitException)
                        {
                            return (clock.Elapsed.TotalSeconds, false, (string?)null);
                        }
                    }));
                    results.AddRange(round);
                    var lastIncomplete = results.Where(r => !r.Complete).Select(r => r.At).DefaultIfEmpty(0).Max();
                    if (killedAt > 0 && clock.Elapsed.TotalSeconds - Math.Max(lastIncomplete, killedAt) >= 3) break;
                    await Task.Delay(50);
                }

                Assert.True(killedAt > 0, "the silo was never killed");
                Assert.Empty(results.Where(r => r.Wrong is not null).Select(r => r.Wrong));
                var recovery = results.Where(r => !r.Complete).Select(r => r.At - killedAt).DefaultIfEmpty(0).Max();
                Assert.True(recovery <= 30, $"answers were incomplete for {recovery:F1} s after the kill");
                Assert.True(results.Count(r => r.Complete && r.At > killedAt) > 0, "no complete answer after the kill");

                // Every user exactly, and the rating recorded before the crash still applied.
                await AssertServesExactly(cluster, artifact, expected);
                AssertSame(raterBefore, await cluster.Client.GetGrain<IUserGrain>(rater).Recommend(K));
            }

            // A full restart: every silo gone (kill -9), new silos on the same Redis, no publish.
            foreach (var silo in silos.Where((_, i) => i != 1)) await silo.KillAsync();
            foreach (var silo in silos) silo.Dispose();
            silos = await StartSilos(2, temp.Path, siloSettings);
            await using (var cluster = await ClusterConnection.ConnectAsync(settings: clientSettings))
            {
                var active = await cluster.Client.GetGrain<IModelRegistryGrain>(IModelRegistryGrain.DefaultKey).GetActive();
                Assert.Equal(artifact.Manifest.Version, active?.Info.Version);
                await AssertServesExactly(cluster, artifact, expected);
                AssertSame(raterBefore, await cluster.Client.GetGrain<IUserGrain>(rater).Recommend(K));
            }
        }
        finally
        {
            foreach (var silo in silos) silo.Dispose();
        }
    }

    private static async Task<List<SiloProcess>> StartSilos(int count, string root, string[] settings) =>
        [.. await Task.WhenAll(Enumerable.Range(0, count).Select(i =>
            SiloProcess.StartAsync(Path.Combine(root, $"unused-store-{i}"), Ports.Free(), Ports.Free(), settings)))];

    private static async Task AssertServesExactly(ClusterConnection cluster, ModelArtifact artifact, (int Row, float Score)[][] expected)
    {
        for (var row = 1; row < artifact.Users.Count; row++)
        {
            var served = await cluster.Client.GetGrain<IUserGrain>(artifact.Users[row].Id).Recommend(K);
            Assert.Equal(served.ShardCount, served.ShardsAnswered);
            Assert.Null(Compare(served, expected[row], artifact.Manifest.Version));
        }
    }

    private static string? Compare(Recommendation served, (int Row, float Score)[] expected, string version)
    {
        if (served.ModelVersion != version) return $"user {served.UserId}: version {served.ModelVersion}, not {version}";
        if (served.Movies.Length != expected.Length) return $"user {served.UserId}: {served.Movies.Length} movies, expected {expected.Length}";
        for (var i = 0; i < expected.Length; i++)
            if (served.Movies[i].Row != expected[i].Row || Math.Abs(served.Movies[i].Score - expected[i].Score) > 1e-4)
                return $"user {served.UserId} rank {i + 1}: row {served.Movies[i].Row} ({served.Movies[i].Score}), expected row {expected[i].Row} ({expected[i].Score})";
        return null;
    }

    private static void AssertSame(Recommendation expected, Recommendation actual)
    {
        Assert.Equal(expected.ModelVersion, actual.ModelVersion);
        Assert.Equal(expected.Movies.Select(m => (m.Row, m.Score)), actual.Movies.Select(m => (m.Row, m.Score)));
    }
}
