using Microsoft.Extensions.DependencyInjection;
using MovieRecommender.Artifacts;
using MovieRecommender.Grains;
using MovieRecommender.Grains.Hosting;
using MovieRecommender.Index;
using MovieRecommender.Operations.Publishing;
using MovieRecommender.Serving.Tests.Cluster;
using Orleans.TestingHost;
using Xunit.Abstractions;

namespace MovieRecommender.Serving.Tests.Serving;

/// <summary>
/// A silo whose shards use an approximate tier on purpose (PQ4 with no rerank slack, K' = K): the serving path still
/// returns K unseen movies with exact scores, and its recall against brute force is measured and reported.
/// </summary>
public sealed class ApproximateClusterFixture() : TestClusterFixture(silos: 1)
{
    public static readonly IndexOptions Options = new() { Kind = IndexKind.Pq4, Rerank = 1 };

    protected override void ConfigureSilo(ISiloBuilder silo) => silo.UseIndexOptions(Options);
}

public sealed class ApproximateServingTests(ApproximateClusterFixture fixture, ITestOutputHelper output) : IClassFixture<ApproximateClusterFixture>
{
    [Fact]
    public async Task AnApproximateTierServesExactScoresWithMeasuredRecall()
    {
        using var temp = new TempFolder();
        var artifact = ModelArtifact.Load(TestArtifacts.Write(temp.Path, users: 40, items: 257, dim: 12, seed: 21));
        await new ArtifactPublisher(fixture.Cluster.Client).PublishAsync(artifact,
            new PublishOptions { CandidateShards = 3, UserShards = 2, ChunkBytes = 1024 });

        const int k = 10;
        var recall = 0.0;
        for (var row = 0; row < artifact.Users.Count; row++)
        {
            var user = artifact.Users[row];
            var result = await fixture.Cluster.Client.GetGrain<IUserGrain>(user.Id).Recommend(k);
            var expected = TestArtifacts.BruteForceTopK(artifact, row, k);

            Assert.Equal(RecommendationSource.Model, result.Source);
            Assert.Equal(k, result.Movies.Length);
            Assert.Equal(k, result.Movies.Select(m => m.Row).Distinct().Count());
            Assert.DoesNotContain(result.Movies, m => user.Seen.Contains(m.Id));
            var query = artifact.UserEmbeddings.Row(row).ToArray();
            foreach (var movie in result.Movies)
            {
                // Exact float32 scores whatever the tier: the rerank scores the returned rows themselves.
                var item = artifact.ItemEmbeddings.Row(movie.Row);
                var exact = 0.0;
                for (var d = 0; d < query.Length; d++) exact += (double)query[d] * item[d];
                Assert.Equal(exact, movie.Score, 1e-4);
            }
            Assert.True(result.Movies.Zip(result.Movies.Skip(1)).All(p => p.First.Score >= p.Second.Score));
            recall += result.Movies.Count(m => expected.Any(e => e.Row == m.Row)) / (double)k;
        }
        recall /= artifact.Users.Count;
        output.WriteLine($"Serving with {ApproximateClusterFixture.Options.Kind.Name()}, K' = K: recall@{k} against brute force = {recall:F3}");
        Assert.True(recall >= 0.6, $"recall@{k} of the approximate serving path {recall:F3} < 0.6");
    }
}
