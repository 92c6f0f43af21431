using MovieRecommender.Grains;

namespace MovieRecommender.Serving.Tests.Cluster;

/// <summary>
/// <see cref="FastGrainFactory.GetGrainFast{T}"/> makes the same references as Orleans' <c>GetGrain&lt;T&gt;(key)</c>, on
/// its first call (which resolves the types) and after, for each interface on its own, and they reach the same grain.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class FastGrainFactoryTests(ClusterFixture fixture)
{
    [Fact]
    public async Task GrainGivesTheReferenceGetGrainGivesForEveryInterfaceAndKey()
    {
        var grains = fixture.Client;
        foreach (var key in new[] { "42", "43", "user with spaces" })
        {
            AssertSame(grains.GetGrain<IUserGrain>(key), grains.GetGrainFast<IUserGrain>(key));
            AssertSame(grains.GetGrain<IMovieGrain>(key), grains.GetGrainFast<IMovieGrain>(key));
            AssertSame(grains.GetGrain<ICandidateShardGrain>(ICandidateShardGrain.Key("v1", 3)), grains.GetGrainFast<ICandidateShardGrain>(ICandidateShardGrain.Key("v1", 3)));
        }
        Assert.NotEqual(((GrainReference)(object)grains.GetGrainFast<IUserGrain>("42")).GrainId, ((GrainReference)(object)grains.GetGrainFast<IMovieGrain>("42")).GrainId);
        Assert.Throws<ArgumentException>(() => grains.GetGrainFast<IUserGrain>(" "));

        // A call through it reaches the grain of that key: a shard of a version never published, holding no row.
        var shardKey = ICandidateShardGrain.Key("no-such-version", 0);
        var status = await grains.GetGrainFast<ICandidateShardGrain>(shardKey).IndexStatus();
        Assert.Equal(shardKey, status.Key);
        Assert.Equal(0, status.Rows);
    }

    private static void AssertSame<T>(T expected, T actual)
    {
        var (e, a) = ((GrainReference)(object)expected!, (GrainReference)(object)actual!);
        Assert.Equal(e.GrainId, a.GrainId);
        Assert.Equal(e.InterfaceType, a.InterfaceType);
        Assert.Equal(expected!.GetType(), actual!.GetType());
    }
}
