using MovieRecommender.Artifacts;
using MovieRecommender.Grains;
using MovieRecommender.Operations.Publishing;

namespace MovieRecommender.Serving.Tests.Cluster;

/// <summary>Publish a small artifact into a two-silo cluster and check serving against brute force.</summary>
[Collection(ClusterCollection.Name)]
public sealed class RecommendationTests(ClusterFixture fixture)
{
    [Theory]
    [InlineData(1, 1)]
    [InlineData(3, 2)]
    [InlineData(7, 5)]
    public async Task EveryUserGetsTheExactTopKWithSeenMoviesExcluded(int shards, int userShards)
    {
        using var temp = new TempFolder();
        var artifact = ModelArtifact.Load(TestArtifacts.Write(temp.Path, users: 40, items: 257, dim: 12, seed: shards));
        await new ArtifactPublisher(fixture.Client).PublishAsync(artifact,
            new PublishOptions { CandidateShards = shards, UserShards = userShards, ChunkBytes = 1024 });

        const int k = 10;
        for (var row = 0; row < artifact.Users.Count; row++)
        {
            var user = artifact.Users[row];
            var result = await fixture.Client.GetGrain<IUserGrain>(user.Id).Recommend(k);
            var expected = TestArtifacts.BruteForceTopK(artifact, row, k);

            Assert.Equal(artifact.Manifest.Version, result.ModelVersion);
            Assert.Equal(RecommendationSource.Model, result.Source);
            Assert.Equal(shards, result.ShardsAnswered);
            Assert.Equal(expected.Select(e => e.Row), result.Movies.Select(m => m.Row));
            Assert.All(expected.Zip(result.Movies), pair => Assert.Equal(pair.First.Score, pair.Second.Score, 1e-4));
            Assert.All(result.Movies, m => Assert.Equal(artifact.Items[m.Row].Id, m.Id));
            Assert.DoesNotContain(result.Movies, m => user.Seen.Contains(m.Id));
        }
    }

    [Fact]
    public async Task AUserUnknownToTheModelGetsThePopularMoviesMarkedAsSuch()
    {
        using var temp = new TempFolder();
        var artifact = ModelArtifact.Load(TestArtifacts.Write(temp.Path, users: 30, items: 50, dim: 4, seed: 11));
        await new ArtifactPublisher(fixture.Client).PublishAsync(artifact, new PublishOptions { CandidateShards = 2 });

        var result = await fixture.Client.GetGrain<IUserGrain>("999999").Recommend(5);

        Assert.Equal(RecommendationSource.Popular, result.Source);
        Assert.Equal(artifact.Manifest.Version, result.ModelVersion);
        var counts = artifact.Items.Select(i => artifact.Users.Count(u => u.Seen.Contains(i.Id))).ToArray();
        var expected = Enumerable.Range(0, counts.Length).OrderByDescending(r => counts[r]).ThenBy(r => r).Take(5);
        Assert.Equal(expected, result.Movies.Select(m => m.Row));
        Assert.Equal(expected.Select(r => (float)counts[r]), result.Movies.Select(m => m.Score));
    }

    [Fact]
    public async Task KLargerThanTheCatalogueReturnsEveryUnseenMovie()
    {
        using var temp = new TempFolder();
        var artifact = ModelArtifact.Load(TestArtifacts.Write(temp.Path, users: 5, items: 12, dim: 3, seed: 12));
        await new ArtifactPublisher(fixture.Client).PublishAsync(artifact, new PublishOptions { CandidateShards = 3 });

        var user = artifact.Users[0];
        var result = await fixture.Client.GetGrain<IUserGrain>(user.Id).Recommend(100);

        Assert.Equal(12 - user.Seen.Count, result.Movies.Length);
        Assert.Equal(result.Movies.Length, result.Movies.Select(m => m.Id).Distinct().Count());
    }

    [Theory]
    [InlineData(0)]
    [InlineData(IUserGrain.MaxK + 1)]
    public async Task AnInvalidKIsRefused(int k)
    {
        var error = await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => fixture.Client.GetGrain<IUserGrain>("1").Recommend(k));
        Assert.Contains("K must be between 1", error.Message);
    }
}
