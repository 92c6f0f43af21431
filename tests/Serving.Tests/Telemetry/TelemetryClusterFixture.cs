using System.Diagnostics;
using MovieRecommender.Grains.Telemetry;
using MovieRecommender.Index;
using MovieRecommender.Silo;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using Orleans.Hosting;
using Orleans.TestingHost;

namespace MovieRecommender.Serving.Tests.Telemetry;

/// <summary>
/// A two-silo cluster configured as production silos are, with every recommendation's served recall checked
/// (share 1), and in-memory exporters subscribed as the silo's OpenTelemetry set-up is: the product's sources and
/// meters and Orleans' grain-call spans. Sources are process-wide, so tests filter by trace id or version.
/// </summary>
public sealed class TelemetryClusterFixture : IAsyncLifetime
{
    public InProcessTestCluster Cluster { get; private set; } = null!;

    public IClusterClient Client => Cluster.Client;

    public TempFolder Store { get; } = new();

    public List<Activity> Spans { get; } = [];

    public List<Metric> Metrics { get; } = [];

    public TracerProvider Tracing { get; private set; } = null!;

    public MeterProvider Meters { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Tracing = Sdk.CreateTracerProviderBuilder()
            .AddSource("MovieRecommender*", "Microsoft.Orleans.Application")
            .AddInMemoryExporter(Spans)
            .Build()!;
        Meters = Sdk.CreateMeterProviderBuilder()
            .AddMeter("MovieRecommender*")
            .AddInMemoryExporter(Metrics)
            .Build()!;
        Cluster = await StartAsync(Store.Path, initialSilos: 2);
    }

    /// <summary>A cluster whose silos check every answer's recall, with the given index settings (null: by shard size).</summary>
    public static async Task<InProcessTestCluster> StartAsync(string store, int initialSilos, IndexOptions? index = null)
    {
        var builder = new InProcessTestClusterBuilder((short)initialSilos);
        builder.ConfigureSilo((_, silo) =>
        {
            silo.AddRecommenderServing(store);
            silo.Services.Configure<ServedRecallOptions>(o =>
            {
                o.Share = 1;
                o.MaxConcurrentChecks = 1000;
            });
            if (index is not null) silo.Services.AddSingleton(index);
        });
        builder.ConfigureClient(client => client.AddActivityPropagation());
        var cluster = builder.Build();
        await cluster.DeployAsync();
        return cluster;
    }

    public async Task DisposeAsync()
    {
        await Cluster.DisposeAsync();
        Tracing.Dispose();
        Meters.Dispose();
        Store.Dispose();
    }
}

[CollectionDefinition(Name)]
public sealed class TelemetryCollection : ICollectionFixture<TelemetryClusterFixture>
{
    public const string Name = "telemetry";
}
