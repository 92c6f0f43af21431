using MovieRecommender.Artifacts;
using MovieRecommender.Grains;

namespace MovieRecommender.Serving.Tests.Cluster;

/// <summary>What the serving tests check an answer against: the brute-force top K of the version it reports.</summary>
internal static class ServedAnswers
{
    /// <summary>Scores may differ from the brute force's double-precision sum by float rounding, no more.</summary>
    public const double ScoreTolerance = 1e-4;

    /// <summary>Whether <paramref name="served"/> is the exact top K of <paramref name="artifact"/> for user row <paramref name="row"/>, from every shard.</summary>
    public static bool IsExactTopK(ModelArtifact artifact, int row, Recommendation served, int k)
    {
        var expected = TestArtifacts.BruteForceTopK(artifact, row, k);
        return served.ShardsAnswered == served.ShardCount
            && expected.Select(e => e.Row).SequenceEqual(served.Movies.Select(m => m.Row))
            && expected.Zip(served.Movies).All(p => Math.Abs(p.First.Score - p.Second.Score) <= ScoreTolerance);
    }

    /// <summary>Asks for the recommendation of user row <paramref name="row"/> and asserts it is its version's exact top K.</summary>
    public static async Task AssertServedExactlyAsync(IGrainFactory grains, ModelArtifact artifact, int row, int k)
    {
        var served = await grains.GetGrain<IUserGrain>(artifact.Users[row].Id).Recommend(k);
        Assert.Equal(artifact.Manifest.Version, served.ModelVersion);
        var expected = TestArtifacts.BruteForceTopK(artifact, row, k);
        Assert.Equal(expected.Select(e => e.Row), served.Movies.Select(m => m.Row));
        Assert.All(expected.Zip(served.Movies), p => Assert.Equal(p.First.Score, p.Second.Score, ScoreTolerance));
    }
}
