using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Hosting;
using MovieRecommender.ClusterClient;
using MovieRecommender.Hosting;
using Orleans.Hosting;
using Orleans.Runtime;

namespace MovieRecommender.Serving.Tests.Hosting;

/// <summary>The section Cluster, bound once for silos and clients, and refused at start-up with the key that is wrong.</summary>
public sealed class ClusterOptionsValidationTests
{
    private static RecommenderClusterOptions Bound(params (string Key, string Value)[] settings) =>
        RecommenderClusterOptions.From(new ConfigurationBuilder()
            .AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value))).Build());

    [Fact]
    public void Defaults_are_the_documented_ones()
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
        Assert.Null(RecommenderClusterOptionsValidator.Problem(options));
    }

    [Fact]
    public void Keys_bind_as_the_readme_spells_them()
    {
        var options = Bound(("Cluster:Mode", " Redis "), ("Cluster:Redis", "10.0.0.9:6380"), ("Cluster:GatewayPort", "30001"),
            ("Cluster:ResponseTimeout", "00:00:03"), ("Cluster:ListenOnAnyAddress", "true"));
        Assert.True(options.IsRedis);
        Assert.Equal("10.0.0.9:6380", options.Redis);
        Assert.Equal(30001, options.GatewayPort);
        Assert.Equal(TimeSpan.FromSeconds(3), options.ResponseTimeout);
        Assert.True(options.ListenOnAnyAddress);
        Assert.Null(RecommenderClusterOptionsValidator.Problem(options));
    }

    [Fact]
    public void An_unknown_mode_is_refused_naming_the_key_and_the_modes()
    {
        var error = Assert.Throws<OrleansConfigurationException>(() => RecommenderClusterOptionsValidator.Validate(Bound(("Cluster:Mode", "Bogus"))));
        Assert.Equal("Cluster:Mode 'bogus' is not known: use 'localhost' (the default) or 'redis'.", error.Message);
    }

    [Theory]
    [InlineData("Cluster:SiloPort", "0")]
    [InlineData("Cluster:GatewayPort", "70000")]
    [InlineData("Cluster:GatewayPort", "-1")]
    public void A_port_out_of_range_is_refused_naming_the_key(string key, string value)
    {
        var error = Assert.Throws<OrleansConfigurationException>(() => RecommenderClusterOptionsValidator.Validate(Bound((key, value))));
        Assert.Equal($"{key} is {value}: expected a TCP port between 1 and 65535.", error.Message);
    }

    [Fact]
    public void The_same_port_twice_is_refused()
    {
        var problem = RecommenderClusterOptionsValidator.Problem(Bound(("Cluster:SiloPort", "30000")));
        Assert.Equal("Cluster:SiloPort and Cluster:GatewayPort are both 30000: the silo needs two different ports.", problem);
    }

    [Fact]
    public void Redis_settings_are_checked_only_in_redis_mode()
    {
        Assert.Null(RecommenderClusterOptionsValidator.Problem(Bound(("Cluster:AdvertisedAddress", "silo-1"))));
        Assert.Equal("Cluster:AdvertisedAddress 'silo-1' is not an IP address: expected one such as 10.0.0.5 (the address other silos and clients dial).",
            RecommenderClusterOptionsValidator.Problem(Bound(("Cluster:Mode", "redis"), ("Cluster:AdvertisedAddress", "silo-1"))));
        Assert.Equal("Cluster:Redis is empty: expected a Redis configuration string such as 127.0.0.1:6379.",
            RecommenderClusterOptionsValidator.Problem(Bound(("Cluster:Mode", "redis"), ("Cluster:Redis", ""))));
    }

    [Fact]
    public void A_silo_with_an_unknown_mode_fails_while_it_is_set_up()
    {
        var builder = Host.CreateApplicationBuilder(["--Cluster:Mode=bogus"]);
        var error = Assert.Throws<OrleansConfigurationException>(() => builder.UseOrleans(silo => silo.AddMovieRecommender()));
        Assert.Equal("Cluster:Mode 'bogus' is not known: use 'localhost' (the default) or 'redis'.", error.Message);
    }

    [Fact]
    public void A_silo_port_that_is_not_a_number_is_told_by_its_key()
    {
        var builder = Host.CreateApplicationBuilder(["--Cluster:SiloPort=eleven"]);
        var error = Assert.Throws<OrleansConfigurationException>(() => builder.UseOrleans(silo => silo.AddMovieRecommender()));
        Assert.Contains("'Cluster:SiloPort'", error.Message);
    }

    [Fact]
    public async Task A_client_with_an_unknown_mode_is_refused_before_it_dials()
    {
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            ClusterConnection.ConnectAsync(settings: new Dictionary<string, string?> { ["Cluster:Mode"] = "bogus" }));
        Assert.Equal("Cluster:Mode 'bogus' is not known: use 'localhost' (the default) or 'redis'.", error.Message);
    }
}

/// <summary>The grains' options, bound from their sections by the same builder extension the Silo program uses.</summary>
public sealed class GrainOptionsBindingTests
{
    [Fact]
    public void Index_fan_out_and_rebalance_settings_reach_the_grains_options()
    {
        var store = Path.Combine(Path.GetTempPath(), $"unused-store-{Guid.NewGuid():N}");
        var builder = Host.CreateApplicationBuilder(["--Index:Tier=pq4", "--Index:Rerank=64", "--Serving:FanOut:RetryDelay=00:00:00.5",
            "--Cluster:Mode=redis", "--Cluster:RebalanceInterval=00:00:03", $"--Storage:Root={store}"]);
        builder.UseOrleans(silo => silo.AddMovieRecommender());
        using var host = builder.Build();
        var index = host.Services.GetRequiredService<IOptions<MovieRecommender.Index.IndexOptions>>().Value;
        Assert.Equal(MovieRecommender.Index.IndexTier.Pq4, index.Tier);
        Assert.Equal(64, index.Rerank);
        var fanOut = host.Services.GetRequiredService<IOptions<MovieRecommender.Grains.Search.ShardFanOutOptions>>().Value;
        Assert.Equal(TimeSpan.FromSeconds(2), fanOut.ShardCallTimeout);
        Assert.Equal(TimeSpan.FromMilliseconds(500), fanOut.RetryDelay);
        var rebalance = host.Services.GetRequiredService<IOptions<MovieRecommender.Grains.Placement.ShardRebalanceOptions>>().Value;
        Assert.True(rebalance.Enabled);
        Assert.Equal(TimeSpan.FromSeconds(3), rebalance.Interval);
        Assert.StartsWith("cluster mode redis (127.0.0.1:6379), 127.0.0.1 gateway 30000, silo port 11111", RecommenderSiloBuilderExtensions.Describe(host.Services));
    }

    [Fact]
    public void Without_an_Index_section_the_index_picks_its_tier_by_size_and_shards_stay_put()
    {
        var store = Path.Combine(Path.GetTempPath(), $"unused-store-{Guid.NewGuid():N}");
        var builder = Host.CreateApplicationBuilder([$"--Storage:Root={store}", "--Cluster:GatewayPort=30123"]);
        builder.UseOrleans(silo => silo.AddMovieRecommender());
        using var host = builder.Build();
        Assert.Equal(MovieRecommender.Index.IndexOptions.Default, host.Services.GetRequiredService<IOptions<MovieRecommender.Index.IndexOptions>>().Value);
        Assert.False(host.Services.GetRequiredService<IOptions<MovieRecommender.Grains.Placement.ShardRebalanceOptions>>().Value.Enabled);
        Assert.Equal($"gateway localhost:30123, silo port 11111, model store {store}", RecommenderSiloBuilderExtensions.Describe(host.Services));
        Assert.False(Directory.Exists(store));
    }
}
