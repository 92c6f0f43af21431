using MovieRecommender.Grains;

namespace MovieRecommender.Serving.Tests.Cluster;

/// <summary>
/// <see cref="GrainReferenceFactory.Grain{T}"/> makes the same references as Orleans' <c>GetGrain&lt;T&gt;(key)</c>, on
/// its first call (which resolves the types) and after, for each interface on its own, and they reach the same grain.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class GrainReferenceFactoryTests(ClusterFixture fixture)
{
    [Fact]
    public async Task Grain_gives_the_reference_GetGrain_gives_for_every_interface_and_key()
    {
        var grains = fixture.Client;
        foreach (var key in new[] { "42", "43", "user with spaces" })
        {
            AssertSame(grains.GetGrain<IUserGrain>(key), grains.Grain<IUserGrain>(key));
            AssertSame(grains.GetGrain<IMovieGrain>(key), grains.Grain<IMovieGrain>(key));
            AssertSame(grains.GetGrain<ICandidateShardGrain>(ICandidateShardGrain.Key("v1", 3)), grains.Grain<ICandidateShardGrain>(ICandidateShardGrain.Key("v1", 3)));
        }
        Assert.NotEqual(((GrainReference)(object)grains.Grain<IUserGrain>("42")).GrainId, ((GrainReference)(object)grains.Grain<IMovieGrain>("42")).GrainId);
        Assert.Throws<ArgumentException>(() => grains.Grain<IUserGrain>(" "));

        // A call through it reaches the grain of that key: a shard of a version never published, holding no row.
        var shardKey = ICandidateShardGrain.Key("no-such-version", 0);
        var status = await grains.Grain<ICandidateShardGrain>(shardKey).IndexStatus();
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
