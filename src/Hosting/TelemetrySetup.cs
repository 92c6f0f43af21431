using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using MovieRecommender.ClusterClient;
using MovieRecommender.Grains.Telemetry;
using MovieRecommender.Telemetry;
using OpenTelemetry.Metrics;

namespace MovieRecommender.Hosting;

/// <summary>
/// OpenTelemetry for the silo: the shared set-up (<see cref="RecommenderOpenTelemetry"/>: OTLP from the standard
/// variables) as service <c>movie-recommender-silo</c>, one instance per silo, with Orleans' meter, plus a
/// Prometheus scrape endpoint when Telemetry:PrometheusPort is set. No tracer at all when no exporter takes traces.
/// </summary>
public static class TelemetrySetup
{
    public static IHostApplicationBuilder AddRecommenderTelemetry(this IHostApplicationBuilder builder)
    {
        var configuration = builder.Configuration;
        RecommenderTelemetry.EnsureCreated();
        // Each silo is its own instance: host and silo port tell them apart on the dashboard.
        var instance = $"{Environment.MachineName}:{RecommenderClusterOptions.From(configuration).SiloPort}";
        // Spans only when they go somewhere: recorded for no one, they cost every request a few dozen activities.
        var otlp = OtlpEndpoints.From(configuration);
        var traces = otlp.All || otlp.Traces || configuration.GetValue<bool>("Telemetry:Console");
        builder.Services.AddOpenTelemetry().AddRecommenderTelemetry(configuration, TelemetryNames.SiloService, instance, traces: traces, metrics: metrics =>
        {
            metrics.AddMeter(TelemetryNames.OrleansMeter);
            var prometheusPort = configuration.GetValue("Telemetry:PrometheusPort", 0);
            if (prometheusPort > 0)
                metrics.AddPrometheusHttpListener(o =>
                {
                    o.Host = configuration["Telemetry:PrometheusHost"] ?? "localhost";
                    o.Port = prometheusPort;
                });
        });
        return builder;
    }

    /// <summary>
    /// The Prometheus scrape endpoint, when <c>Telemetry:PrometheusPort</c> is set (0 or unset: none):
    /// http://{Telemetry:PrometheusHost, default localhost}:{port}/metrics.
    /// </summary>
    public static string? PrometheusPrefix(IConfiguration configuration)
    {
        var port = configuration.GetValue("Telemetry:PrometheusPort", 0);
        return port <= 0 ? null : $"http://{configuration["Telemetry:PrometheusHost"] ?? "localhost"}:{port}/";
    }
}
