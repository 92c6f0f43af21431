using MovieRecommender.Artifacts;
using MovieRecommender.Cluster;
using MovieRecommender.Grains;
using MovieRecommender.Operations.Publishing;

namespace MovieRecommender.EndToEnd.Tests;

/// <summary>
/// The silo process killed (kill -9) or stopped, then started again on the same store: the same answers, ratings
/// recorded before included, with no new publish.
/// </summary>
public sealed class SiloRestartTests
{
    [Fact]
    public async Task AfterKillNineAndAfterAGracefulRestartTheSiloServesTheSameResultsWithoutRepublishing()
    {
        using var temp = new TempFolder();
        var store = Path.Combine(temp.Path, "store");
        var artifact = ModelArtifact.Load(TestArtifacts.Write(Path.Combine(temp.Path, "models"), users: 25, items: 150, dim: 8, seed: 77));
        var (siloPort, gatewayPort) = (Ports.Free(), Ports.Free());

        Recommendation[] before;
        using (var silo = await SiloProcess.StartAsync(store, siloPort, gatewayPort))
        {
            await using (var cluster = await ClusterConnection.ConnectAsync(gatewayPortOverride: gatewayPort))
            {
                await new ArtifactPublisher(cluster.Client).PublishAsync(artifact, new PublishOptions { CandidateShards = 3, UserShards = 2 });
                // A rating recorded before the crash must survive it: excluded and folded in after the restart too.
                var first = await cluster.Client.GetGrain<IUserGrain>(artifact.Users[0].Id).Recommend(10);
                await cluster.Client.GetGrain<IUserGrain>(artifact.Users[0].Id).Rate(first.Movies[0].Id, 4);
                before = await RecommendAll(cluster, artifact);
                Assert.DoesNotContain(before[0].Movies, m => m.Id == first.Movies[0].Id);
            }
            await silo.KillAsync();
        }
        Assert.All(before, r => Assert.Equal(artifact.Manifest.Version, r.ModelVersion));

        using (var silo = await SiloProcess.StartAsync(store, siloPort, gatewayPort))
        {
            await using (var cluster = await ClusterConnection.ConnectAsync(gatewayPortOverride: gatewayPort))
                AssertSame(before, await RecommendAll(cluster, artifact));
            await silo.StopAsync();
        }

        using (await SiloProcess.StartAsync(store, siloPort, gatewayPort))
        await using (var cluster = await ClusterConnection.ConnectAsync(gatewayPortOverride: gatewayPort))
            AssertSame(before, await RecommendAll(cluster, artifact));
    }

    private static Task<Recommendation[]> RecommendAll(ClusterConnection cluster, ModelArtifact artifact) =>
        Task.WhenAll(artifact.Users.Select(u => cluster.Client.GetGrain<IUserGrain>(u.Id).Recommend(10)));

    private static void AssertSame(Recommendation[] expected, Recommendation[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        foreach (var (e, a) in expected.Zip(actual))
        {
            Assert.Equal(e.ModelVersion, a.ModelVersion);
            Assert.Equal(e.Source, a.Source);
            Assert.Equal(e.Movies.Select(m => (m.Row, m.Score)), a.Movies.Select(m => (m.Row, m.Score)));
        }
    }
}
