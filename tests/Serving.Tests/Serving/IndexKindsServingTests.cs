using MovieRecommender.Artifacts;
using MovieRecommender.Grains;
using MovieRecommender.Index;
using MovieRecommender.Operations.Publishing;
using MovieRecommender.Serving.Tests.Cluster;
using Xunit.Abstractions;

namespace MovieRecommender.Serving.Tests.Serving;

/// <summary>
/// Each index kind chosen at publish (<see cref="PublishOptions.Index"/>) is what every shard of that version builds,
/// and the serving path answers with it: K unseen movies, exact scores, in the one top-K order, with its recall
/// against brute force measured (exact: the brute force itself).
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class IndexKindsServingTests(ClusterFixture fixture, ITestOutputHelper output)
{
    public static TheoryData<string, double> Kinds => new()
    {
        { "exact", 1.0 },
        { "int8", 0.95 },
        { "pq4:rerank=100", 0.9 },
        { "ivf-int8:lists=6,probe=3", 0.8 },
        { "ivf-pq4:lists=6,probe=6,rerank=100", 0.9 },
    };

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task EveryShardBuildsThePublishedIndexAndServesExactScores(string spec, double minRecall)
    {
        using var temp = new TempFolder();
        var artifact = ModelArtifact.Load(TestArtifacts.Write(temp.Path, users: 30, items: 360, dim: 8, seed: 140 + spec.Length));
        var index = IndexSpec.Parse(spec);
        await new ArtifactPublisher(fixture.Client).PublishAsync(artifact, new PublishOptions { CandidateShards = 2, UserShards = 1, Index = index });

        var statuses = await Task.WhenAll(Enumerable.Range(0, 2)
            .Select(s => fixture.Client.GetGrain<ICandidateShardGrain>(ICandidateShardGrain.Key(artifact.Manifest.Version, s)).IndexStatus()));
        Assert.All(statuses, s =>
        {
            Assert.Equal(spec, s.Requested);
            Assert.Equal(index.Kind, IndexSpec.Parse(s.Built!).Kind);
        });

        const int k = 10;
        var recall = 0.0;
        for (var row = 0; row < artifact.Users.Count; row++)
        {
            var user = artifact.Users[row];
            var served = await fixture.Client.GetGrain<IUserGrain>(user.Id).Recommend(k);
            var expected = TestArtifacts.BruteForceTopK(artifact, row, k);
            Assert.Equal(artifact.Manifest.Version, served.ModelVersion);
            Assert.Equal(RecommendationSource.Model, served.Source);
            Assert.Equal(k, served.Movies.Select(m => m.Row).Distinct().Count());
            Assert.DoesNotContain(served.Movies, m => user.Seen.Contains(m.Id));
            foreach (var movie in served.Movies)
                Assert.Equal(Dot(artifact.UserEmbeddings.Row(row), artifact.ItemEmbeddings.Row(movie.Row)), movie.Score, 1e-4);
            Assert.True(served.Movies.Zip(served.Movies.Skip(1)).All(p => TopKOrder.IsBetter(p.First.Score, p.First.Row, p.Second.Score, p.Second.Row)),
                "answers come in the one top-K order");
            recall += served.Movies.Count(m => expected.Any(e => e.Row == m.Row)) / (double)k;
        }
        recall /= artifact.Users.Count;
        output.WriteLine($"{spec}: built {statuses[0].Built}, recall@{k} against brute force {recall:F3}");
        Assert.True(recall >= minRecall, $"{spec}: recall@{k} {recall:F3} < {minRecall}");
    }

    private static double Dot(ReadOnlySpan<float> x, ReadOnlySpan<float> y)
    {
        double sum = 0;
        for (var i = 0; i < x.Length; i++) sum += (double)x[i] * y[i];
        return sum;
    }
}
