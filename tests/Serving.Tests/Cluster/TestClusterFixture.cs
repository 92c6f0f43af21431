using MovieRecommender.Grains.Hosting;
using Orleans.Hosting;
using Orleans.TestingHost;

namespace MovieRecommender.Serving.Tests.Cluster;

/// <summary>
/// The one base of the in-process test clusters: silos set up as production silos are
/// (<c>AddMovieRecommenderServing</c>, the model storage in a temporary folder they share, as a cluster's silos share
/// their store), plus what a fixture adds to each silo (<see cref="ConfigureSilo"/>), with activity propagation on
/// the client. A fixture is shared by a test collection or class; a test that needs a cluster of its own calls
/// <see cref="StartAsync"/>.
/// </summary>
public abstract class TestClusterFixture(int silos) : IAsyncLifetime
{
    public InProcessTestCluster Cluster { get; private set; } = null!;

    public IClusterClient Client => Cluster.Client;

    /// <summary>The model storage the silos share.</summary>
    public TempFolder Store { get; } = new();

    /// <summary>What this fixture adds to each silo: options, probes, call filters.</summary>
    protected virtual void ConfigureSilo(ISiloBuilder silo)
    {
    }

    public virtual async Task InitializeAsync() => Cluster = await StartAsync(Store.Path, silos, ConfigureSilo);

    public virtual async Task DisposeAsync()
    {
        await Cluster.DisposeAsync();
        Store.Dispose();
    }

    /// <summary>A cluster of <paramref name="silos"/> silos on the model storage under <paramref name="store"/>.</summary>
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
}
