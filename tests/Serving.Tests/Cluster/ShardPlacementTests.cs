using System.Net;
using MovieRecommender.Grains.Placement;

namespace MovieRecommender.Serving.Tests.Cluster;

/// <summary>The shard placement rule: a version's shards spread evenly, the same on every silo, and over the survivors when one leaves.</summary>
public sealed class ShardPlacementTests
{
    private static SiloAddress Silo(int port) => SiloAddress.New(new IPEndPoint(IPAddress.Loopback, port), 1);

    [Theory]
    [InlineData(6, 3)]
    [InlineData(16, 3)]
    [InlineData(4, 3)]
    [InlineData(16, 1)]
    public void ShardsOfAVersionSpreadEvenlyOverTheSilos(int shards, int siloCount)
    {
        var silos = Enumerable.Range(0, siloCount).Select(i => Silo(11121 + i)).ToArray();
        var perSilo = Enumerable.Range(0, shards)
            .Select(shard => ShardSpreadPlacementDirector.PreferredSilo($"v20250101/{shard}", silos))
            .GroupBy(s => s).Select(g => g.Count()).ToArray();
        Assert.Equal(Math.Min(shards, siloCount), perSilo.Length);
        Assert.True(perSilo.Max() - perSilo.Min() <= 1);
        // Every silo computes the same answer whatever order its membership view lists the silos in.
        Assert.Equal(ShardSpreadPlacementDirector.PreferredSilo("v20250101/3", silos), ShardSpreadPlacementDirector.PreferredSilo("v20250101/3", silos.Reverse().ToArray()));
    }

    [Fact]
    public void WhenASiloLeavesItsShardsGoToTheSurvivorsEvenly()
    {
        var silos = Enumerable.Range(0, 3).Select(i => Silo(11121 + i)).ToArray();
        var survivors = silos.Where((_, i) => i != 1).ToArray();
        var placed = Enumerable.Range(0, 6).Select(shard => ShardSpreadPlacementDirector.PreferredSilo($"v1/{shard}", survivors)).ToArray();
        Assert.DoesNotContain(silos[1], placed);
        Assert.Equal(3, placed.Count(s => s.Equals(survivors[0])));
    }
}
