using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using MovieRecommender.Cluster;
using MovieRecommender.Silo;
using static MovieRecommender.Serving.Tests.Hosting.ClusterSettings;

namespace MovieRecommender.Serving.Tests.Hosting;

/// <summary>The section Cluster, bound once for silos and clients, and refused at start-up with the key that is wrong.</summary>
public sealed class ClusterOptionsValidationTests
{
    [Fact]
    public void DefaultsAreTheDocumentedOnes()
    {
        var options = Bound();
        Assert.Equal("localhost", options.NormalizedMode);
        Assert.False(options.IsRedis);
        Assert.Equal("127.0.0.1:6379", options.Redis);
        Assert.Equal("127.0.0.1", options.AdvertisedAddress);
        Assert.False(options.ListenOnAnyAddress);
        Assert.Equal(11111, options.SiloPort);
        Assert.Equal(30000, options.GatewayPort);
        Assert.Equal("movie-recommender", options.ServiceId);
        Assert.Equal("movie-recommender", options.ClusterId);
        Assert.Equal(TimeSpan.FromSeconds(10), options.ResponseTimeout);
        Assert.Equal(TimeSpan.FromSeconds(10), options.RebalanceInterval);
        Assert.Equal(TimeSpan.FromSeconds(5), options.TcpUserTimeout);
        Assert.Null(Problem(options));
    }

    [Fact]
    public void KeysBindAsTheReadmeSpellsThem()
    {
        var options = Bound(("Cluster:Mode", " Redis "), ("Cluster:Redis", "10.0.0.9:6380"), ("Cluster:GatewayPort", "30001"),
            ("Cluster:ResponseTimeout", "00:00:03"), ("Cluster:ListenOnAnyAddress", "true"), ("Cluster:TcpUserTimeout", "0"));
        Assert.True(options.IsRedis);
        Assert.Equal("10.0.0.9:6380", options.Redis);
        Assert.Equal(30001, options.GatewayPort);
        Assert.Equal(TimeSpan.FromSeconds(3), options.ResponseTimeout);
        Assert.True(options.ListenOnAnyAddress);
        Assert.Equal(TimeSpan.Zero, options.TcpUserTimeout);
        Assert.Null(Problem(options));
    }

    [Fact]
    public void AnUnknownModeIsRefusedNamingTheKeyAndTheModes()
    {
        var error = Assert.Throws<OptionsValidationException>(() => RecommenderClusterOptions.From(Configuration(("Cluster:Mode", "Bogus"))));
        Assert.Equal("Cluster:Mode 'bogus' is not known: use 'localhost' (the default) or 'redis'.", error.Message);
    }

    [Theory]
    [InlineData("Cluster:SiloPort", "0")]
    [InlineData("Cluster:GatewayPort", "70000")]
    [InlineData("Cluster:GatewayPort", "-1")]
    public void APortOutOfRangeIsRefusedNamingTheKey(string key, string value)
    {
        var error = Assert.Throws<OptionsValidationException>(() => RecommenderClusterOptions.From(Configuration((key, value))));
        Assert.Equal($"{key} is {value}: expected a TCP port between 1 and 65535.", error.Message);
    }

    [Fact]
    public void TheSamePortTwiceIsRefused()
    {
        var problem = Problem(Bound(("Cluster:SiloPort", "30000")));
        Assert.Equal("Cluster:SiloPort and Cluster:GatewayPort are both 30000: the silo needs two different ports.", problem);
    }

    [Fact]
    public void RedisSettingsAreCheckedOnlyInRedisMode()
    {
        Assert.Null(Problem(Bound(("Cluster:AdvertisedAddress", "silo-1"))));
        Assert.Equal("Cluster:AdvertisedAddress 'silo-1' is not an IP address: expected one such as 10.0.0.5 (the address other silos and clients dial).",
            Problem(Bound(("Cluster:Mode", "redis"), ("Cluster:AdvertisedAddress", "silo-1"))));
        Assert.Equal("Cluster:Redis is empty: expected a Redis configuration string such as 127.0.0.1:6379.",
            Problem(Bound(("Cluster:Mode", "redis"), ("Cluster:Redis", ""))));
    }

    [Fact]
    public void ASiloWithAnUnknownModeFailsWhileItIsSetUp()
    {
        var error = Assert.Throws<OptionsValidationException>(() => Program.Build(["--Cluster:Mode=bogus"]));
        Assert.Equal("Cluster:Mode 'bogus' is not known: use 'localhost' (the default) or 'redis'.", error.Message);
    }

    [Fact]
    public void ASiloPortThatIsNotANumberIsToldByItsKey()
    {
        var error = Assert.Throws<OptionsValidationException>(() => Program.Build(["--Cluster:SiloPort=eleven"]));
        Assert.Contains("'Cluster:SiloPort'", error.Message);
    }

    [Fact]
    public async Task AClientWithAnUnknownModeIsRefusedBeforeItDials()
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() =>
            ClusterConnection.ConnectAsync(settings: new Dictionary<string, string?> { ["Cluster:Mode"] = "bogus" }));
        Assert.Equal("Cluster:Mode 'bogus' is not known: use 'localhost' (the default) or 'redis'.", error.Message);
    }
}

/// <summary>The grains' options, bound from their sections in the silo as the Silo program builds it.</summary>
public sealed class GrainOptionsBindingTests
{
    [Fact]
    public void IndexFanOutAndRebalanceSettingsReachTheGrainsOptions()
    {
        var store = Path.Combine(Path.GetTempPath(), $"unused-store-{Guid.NewGuid():N}");
        using var host = Program.Build(["--Index:Kind=ivf-pq4", "--Index:Rerank=64", "--Serving:FanOut:RetryDelay=00:00:00.5",
            "--Cluster:Mode=redis", "--Cluster:RebalanceInterval=00:00:03", $"--Storage:Root={store}"]);
        var index = host.Services.GetRequiredService<IOptions<MovieRecommender.Index.IndexOptions>>().Value;
        Assert.Equal(MovieRecommender.Index.IndexKind.IvfPq4, index.Kind);
        Assert.Equal(64, index.Rerank);
        var fanOut = host.Services.GetRequiredService<IOptions<MovieRecommender.Grains.Search.ShardFanOutOptions>>().Value;
        Assert.Equal(TimeSpan.FromSeconds(2), fanOut.ShardCallTimeout);
        Assert.Equal(TimeSpan.FromMilliseconds(500), fanOut.RetryDelay);
        var rebalance = host.Services.GetRequiredService<IOptions<MovieRecommender.Grains.Placement.ShardRebalanceOptions>>().Value;
        Assert.True(rebalance.Enabled);
        Assert.Equal(TimeSpan.FromSeconds(3), rebalance.Interval);
        Assert.StartsWith("cluster mode redis (127.0.0.1:6379), 127.0.0.1 gateway 30000, silo port 11111", SiloDescription.Cluster(host.Services));
    }

    [Fact]
    public void WithoutAnIndexSectionTheIndexPicksItsKindBySizeAndShardsStayPut()
    {
        var store = Path.Combine(Path.GetTempPath(), $"unused-store-{Guid.NewGuid():N}");
        using var host = Program.Build([$"--Storage:Root={store}", "--Cluster:GatewayPort=30123"]);
        Assert.Equal(MovieRecommender.Index.IndexOptions.Default, host.Services.GetRequiredService<IOptions<MovieRecommender.Index.IndexOptions>>().Value);
        Assert.False(host.Services.GetRequiredService<IOptions<MovieRecommender.Grains.Placement.ShardRebalanceOptions>>().Value.Enabled);
        Assert.Equal($"gateway localhost:30123, silo port 11111, model store {store}", SiloDescription.Cluster(host.Services));
        Assert.False(Directory.Exists(store));
    }

    [Fact]
    public void AnIndexKindThatDoesNotExistIsToldWithTheKindsThereAre()
    {
        var store = Path.Combine(Path.GetTempPath(), $"unused-store-{Guid.NewGuid():N}");
        using var host = Program.Build([$"--Storage:Root={store}", "--Index:Kind=hnsw"]);
        // Checked as the host starts (ValidateOnStart), which is when the options are first made.
        var error = Assert.Throws<OptionsValidationException>(() => host.Services.GetRequiredService<IOptions<MovieRecommender.Index.IndexOptions>>().Value);
        Assert.Equal("Failed to convert configuration value 'hnsw' at 'Index:Kind' to type 'MovieRecommender.Index.IndexKind'. " +
            "'hnsw' is not an index kind; expected one of auto, exact, int8, pq4, ivf-int8, ivf-pq4.", error.Message);
    }
}
