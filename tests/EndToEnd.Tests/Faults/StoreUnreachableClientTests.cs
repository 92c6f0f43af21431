using MovieRecommender.Cluster;

namespace MovieRecommender.EndToEnd.Tests.Faults;

/// <summary>A console that cannot reach the cluster's Redis is told it is the store that is down, not the silos.</summary>
public sealed class StoreUnreachableClientTests
{
    [Fact]
    public async Task AClientWhoseRedisDoesNotAnswerIsToldTheStoreIsDownAndTheSilosMayStillServe()
    {
        var port = Ports.Free();
        var e = await Assert.ThrowsAsync<ClusterUnavailableException>(() => ClusterConnection.ConnectAsync(settings: new Dictionary<string, string?>
        {
            ["Cluster:Mode"] = "redis",
            ["Cluster:Redis"] = $"127.0.0.1:{port},password=secret-value",
        }));

        Assert.StartsWith($"The cluster's store, Redis at 127.0.0.1:{port},password=***, did not answer (", e.Message);
        Assert.Contains("Silos already running keep serving", e.Message);
        Assert.DoesNotContain("secret-value", e.Message);
    }
}
