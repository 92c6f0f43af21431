using Microsoft.Extensions.DependencyInjection;
using MovieRecommender.Grains.Registry;
using MovieRecommender.Serving.Tests.Cluster;
using Orleans.Hosting;
using Orleans.TestingHost;

namespace MovieRecommender.Serving.Tests.Registry;

/// <summary>
/// Three silos configured as production silos are, with a <see cref="RegistryProbe"/> in each, and a refresh period
/// so long that it never runs during a test: whatever a silo's view learns, it learns from a notification (or,
/// after a retired shard, from the registry it rereads).
/// </summary>
public sealed class RegistryClusterFixture() : TestClusterFixture(silos: 3)
{
    public static readonly TimeSpan NotificationTimeout = TimeSpan.FromSeconds(1);

    public RegistryProbe Probe { get; } = new();

    protected override void ConfigureSilo(ISiloBuilder silo) => ReportTo(silo, Probe, refreshPeriod: TimeSpan.FromHours(1));

    /// <summary>A cluster whose silos report to <paramref name="probe"/> and refresh their view every <paramref name="refreshPeriod"/>.</summary>
    public static Task<InProcessTestCluster> StartAsync(string store, int silos, RegistryProbe probe, TimeSpan refreshPeriod) =>
        StartAsync(store, silos, silo => ReportTo(silo, probe, refreshPeriod));

    private static void ReportTo(ISiloBuilder silo, RegistryProbe probe, TimeSpan refreshPeriod)
    {
        silo.Services.AddSingleton(probe);
        silo.AddIncomingGrainCallFilter<RegistryProbeFilter>();
        silo.Services.Configure<ActiveModelViewOptions>(o =>
        {
            o.RefreshPeriod = refreshPeriod;
            o.NotificationTimeout = NotificationTimeout;
        });
    }

    /// <summary>Each running silo's view of the active model, with the silo.</summary>
    public IReadOnlyList<(SiloAddress Silo, ActiveModelView View)> Views() => ViewsOf(Cluster);

    public static IReadOnlyList<(SiloAddress Silo, ActiveModelView View)> ViewsOf(InProcessTestCluster cluster) =>
        [.. cluster.GetActiveSilos().Select(s => (s.SiloAddress, s.ServiceProvider.GetRequiredService<ActiveModelView>()))];
}

[CollectionDefinition(Name)]
public sealed class RegistryCollection : ICollectionFixture<RegistryClusterFixture>
{
    public const string Name = "registry";
}
