using System.Diagnostics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using MovieRecommender.Grains.Hosting;
using MovieRecommender.Grains.Telemetry;
using MovieRecommender.Index;
using MovieRecommender.ServiceDefaults;
using MovieRecommender.Serving.Tests.Cluster;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using Orleans.Hosting;
using Orleans.TestingHost;

namespace MovieRecommender.Serving.Tests.Telemetry;

/// <summary>
/// A two-silo cluster configured as production silos are, with every recommendation's served recall checked
/// (share 1), and the programs' own OpenTelemetry set-up (<see cref="RecommenderOpenTelemetry"/>: sources, meters,
/// sampler) exporting to memory. Sources are process-wide, so tests filter by trace id, user or version.
/// </summary>
public sealed class TelemetryClusterFixture() : TestClusterFixture(silos: 2)
{
    public List<Activity> Spans { get; } = [];

    public List<Metric> Metrics { get; } = [];

    private OpenTelemetrySdk _telemetry = null!;

    public TracerProvider Tracing => _telemetry.TracerProvider;

    public MeterProvider Meters => _telemetry.MeterProvider;

    public override async Task InitializeAsync()
    {
        var noExporters = new ConfigurationBuilder().Build();
        _telemetry = OpenTelemetrySdk.Create(otel => otel
            .AddRecommenderTelemetry(noExporters, "telemetry-tests")
            .WithTracing(tracing => tracing.AddInMemoryExporter(Spans))
            .WithMetrics(metrics => metrics.AddInMemoryExporter(Metrics)));
        await base.InitializeAsync();
    }

    protected override void ConfigureSilo(ISiloBuilder silo) => CheckEveryAnswer(silo, index: null);

    /// <summary>A cluster whose silos check every answer's recall, with the given index settings (null: by shard size).</summary>
    public static Task<InProcessTestCluster> StartAsync(string store, int initialSilos, IndexOptions? index = null) =>
        StartAsync(store, initialSilos, silo => CheckEveryAnswer(silo, index));

    private static void CheckEveryAnswer(ISiloBuilder silo, IndexOptions? index)
    {
        silo.Services.Configure<ServedRecallOptions>(o =>
        {
            o.Share = 1;
            o.MaxConcurrentChecks = 1000;
        });
        if (index is not null) silo.UseIndexOptions(index);
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        _telemetry.Dispose();
    }
}

[CollectionDefinition(Name)]
public sealed class TelemetryCollection : ICollectionFixture<TelemetryClusterFixture>
{
    public const string Name = "telemetry";
}
