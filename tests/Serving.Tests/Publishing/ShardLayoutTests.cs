using MovieRecommender.Artifacts;
using MovieRecommender.Grains;
using MovieRecommender.Operations.Publishing;
using MovieRecommender.Serving.Tests.Cluster;

namespace MovieRecommender.Serving.Tests.Publishing;

/// <summary>How many shards a version gets when the publisher is not told: one per silo, more only past a shard's size.</summary>
[Collection(ClusterCollection.Name)]
public sealed class ShardLayoutTests(ClusterFixture fixture)
{
    [Theory]
    [InlineData(1_682, 64, 1, 1)]
    [InlineData(1_000_000, 64, 1, 1)]
    [InlineData(1_000_000, 64, 3, 3)]
    [InlineData(1_000_001, 64, 1, 2)]
    [InlineData(10_000_000, 64, 1, 10)]
    [InlineData(5, 64, 8, 5)]
    public void CandidateShardsAreOnePerSiloUntilAShardWouldPassItsSize(int movies, int dimension, int silos, int expected) =>
        Assert.Equal(expected, ShardLayout.CandidateShards(movies, dimension, silos));

    [Fact]
    public void AWideEmbeddingKeepsEveryShardWithinOneArray()
    {
        var shards = ShardLayout.CandidateShards(10_000_000, 1024, silos: 1);
        Assert.True((long)Math.Ceiling(10_000_000.0 / shards) * 1024 <= Array.MaxLength, $"{shards} shards");
    }

    [Theory]
    [InlineData(943, 1, 1)]
    [InlineData(1_000_000, 1, 4)]
    [InlineData(1_000_000, 6, 6)]
    public void UserShardsAreOnePerSiloUntilAShardWouldPassItsSize(int users, int silos, int expected) =>
        Assert.Equal(expected, ShardLayout.UserShards(users, silos));

    [Fact]
    public async Task APublishWithoutShardCountsSplitsTheVersionOverEverySilo()
    {
        using var temp = new TempFolder();
        var artifact = ModelArtifact.Load(ArtifactDamage.WriteGood(Path.Combine(temp.Path, "good")));
        var explicitOnly = await new ArtifactPublisher(fixture.Client).ResolveLayoutAsync(new PublishOptions { CandidateShards = 3 }, artifact);
        Assert.Equal((3, 2), (explicitOnly.CandidateShards, explicitOnly.UserShards));

        var info = await new ArtifactPublisher(fixture.Client).PublishAsync(artifact, new PublishOptions());

        // The fixture has two silos.
        Assert.Equal((2, 2), (info.CandidateShards, info.UserShards));
        var answer = await fixture.Client.GetGrain<IUserGrain>(artifact.Users[0].Id).Recommend(5);
        Assert.Equal((info.Version, 2, 2), (answer.ModelVersion, answer.ShardsAnswered, answer.ShardCount));
    }
}
