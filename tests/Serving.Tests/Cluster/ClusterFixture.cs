using MovieRecommender.Hosting;
using Orleans.Hosting;
using Orleans.TestingHost;

namespace MovieRecommender.Serving.Tests.Cluster;

/// <summary>An in-process cluster of two silos configured as production silos are, shared by a test collection.</summary>
public sealed class ClusterFixture : IAsyncLifetime
{
    public InProcessTestCluster Cluster { get; private set; } = null!;

    public IClusterClient Client => Cluster.Client;

    /// <summary>The model storage both silos share, as a cluster's silos share their store.</summary>
    public TempFolder Store { get; } = new();

    public async Task InitializeAsync() => Cluster = await StartAsync(Store.Path, silos: 2);

    /// <summary>
    /// An in-process cluster of silos set up as production silos are (<c>AddMovieRecommenderServing</c>, model
    /// storage under <paramref name="store"/>), plus what a test adds to each silo, with activity propagation.
    /// </summary>
    public static async Task<InProcessTestCluster> StartAsync(string store, int silos, Action<ISiloBuilder>? configureSilo = null)
    {
        var builder = new InProcessTestClusterBuilder((short)silos);
        builder.ConfigureSilo((_, silo) =>
        {
            silo.AddMovieRecommenderServing(store);
            configureSilo?.Invoke(silo);
        });
        builder.ConfigureClient(client => client.AddActivityPropagation());
        var cluster = builder.Build();
        await cluster.DeployAsync();
        return cluster;
    }

    public async Task DisposeAsync()
    {
        await Cluster.DisposeAsync();
        Store.Dispose();
    }
}

[CollectionDefinition(Name)]
public sealed class ClusterCollection : ICollectionFixture<ClusterFixture>
{
    public const string Name = "cluster";
}
