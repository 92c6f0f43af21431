using MovieRecommender.Artifacts;
using MovieRecommender.Grains;
using MovieRecommender.Operations.Publishing;
using MovieRecommender.Operations.Verification;
using MovieRecommender.Serving.Tests.Cluster;

namespace MovieRecommender.Serving.Tests.Catalogue;

/// <summary>
/// The live catalogue on a cluster of its own (its changes reach every later publish, so it must not share one):
/// enough changes to seal several segments of the log, read back after every catalogue grain was collected, and
/// every user served exactly what the artifact plus the changes make, before and after a publish.
/// </summary>
public sealed class LiveCatalogueServingTests
{
    private const int K = 10;

    [Fact]
    public async Task ManyChangesSealSegmentsSurviveTheirGrainsAndEveryUserIsServedExactlyAcrossAPublish()
    {
        using var store = new TempFolder();
        using var models = new TempFolder();
        var cluster = await TestClusterFixture.StartAsync(store.Path, silos: 2);
        try
        {
            var grains = cluster.Client;
            var first = ModelArtifact.Load(ArtifactWriter.Write(models.Path, TestArtifacts.WithTowers(TestArtifacts.Content(users: 30, items: 200, dim: 8, seed: 31), seed: 1, scale: 1)));
            await new ArtifactPublisher(grains).PublishAsync(first, new PublishOptions { CandidateShards = 3, UserShards = 2 });

            // 150 new movies in few partitions' logs: more than two segments of 64 in some; then changes of known ones and takedowns.
            string[] genres = ["Drama", "Comedy", "Action", "Sci-Fi", "Horror"];
            var random = new Random(7);
            await Parallel.ForEachAsync(Enumerable.Range(0, 150), async (i, _) =>
            {
                var id = (5000 + i).ToString(System.Globalization.CultureInfo.InvariantCulture);
                await ILiveCatalogueGrain.For(grains, id).Put(id, new MovieDescription($"New {i}", [genres[i % 5], genres[(i / 5) % 5]], 1990 + i % 30));
            });
            foreach (var known in first.Items.Take(5))
                await ILiveCatalogueGrain.For(grains, known.Id).Put(known.Id, new MovieDescription(known.Title, ["Horror"], 2001));
            foreach (var gone in new[] { "5003", first.Items[10].Id, first.Items[199].Id })
                Assert.True(await ILiveCatalogueGrain.For(grains, gone).TakeDown(gone));
            Assert.False(await ILiveCatalogueGrain.For(grains, "987654").TakeDown("987654"));
            await AssertEveryUserExact(grains, first, changes: 157);

            // Every catalogue grain collected: each reads its sealed segments and open one back, in the same order.
            var before = await ListAll(grains);
            await grains.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero);
            Assert.Equal(before, await ListAll(grains));

            // A later version with its own towers takes every change before it serves.
            var next = ModelArtifact.Load(ArtifactWriter.Write(models.Path, TestArtifacts.WithTowers(TestArtifacts.Content(users: 30, items: 200, dim: 8, seed: 31), seed: 2, scale: 1)));
            await new ArtifactPublisher(grains).PublishAsync(next, new PublishOptions { CandidateShards = 2, UserShards = 2 });
            await AssertEveryUserExact(grains, next, changes: 157);
        }
        finally
        {
            await cluster.DisposeAsync();
        }
    }

    private static async Task<string[]> ListAll(IGrainFactory grains)
    {
        return [.. (await ILiveCatalogueGrain.ListAllAsync(grains)).Select(m => $"{m.Id}:{m.Sequence}:{m.TakenDown}:{m.Description?.Title}")];
    }

    private static async Task AssertEveryUserExact(IGrainFactory grains, ModelArtifact artifact, int changes)
    {
        var report = await new ServingVerifier(grains, artifact).VerifyAsync(K);
        Assert.True(report.Passed, string.Join("; ", report.Examples));
        Assert.Equal(changes, report.LiveChanges);
        // And the changes do show: some user's answer holds a movie put live, none holds a taken-down one.
        var answers = await Task.WhenAll(artifact.Users.Select(u => grains.GetGrain<IUserGrain>(u.Id).Recommend(K)));
        Assert.Contains(answers, a => a.Movies.Any(m => m.Row >= artifact.Items.Count));
        Assert.DoesNotContain(answers, a => a.Movies.Any(m => m.Id is "5003" || m.Id == artifact.Items[10].Id || m.Id == artifact.Items[199].Id));
    }
}
