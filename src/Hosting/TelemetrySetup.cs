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
        // Spans and instruments only when they go somewhere: recorded for no one, they cost every request.
        builder.Services.AddOpenTelemetry().AddRecommenderTelemetry(configuration, TelemetryNames.SiloService, instance,
            traces: ExportsTraces(configuration), meters: ExportsMetrics(configuration), metrics: metrics =>
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

    /// <summary>Some exporter takes traces (OTLP or the console); else the silo records no span at all.</summary>
    public static bool ExportsTraces(IConfiguration configuration) =>
        OtlpEndpoints.From(configuration) is { All: true } or { Traces: true } || configuration.GetValue<bool>("Telemetry:Console");

    /// <summary>
    /// Some exporter takes metrics (OTLP, the console or Prometheus); else no instrument is listened to, and what
    /// only feeds an instrument (Orleans' per-message meter, the live served-recall checks) is not done.
    /// </summary>
    public static bool ExportsMetrics(IConfiguration configuration) =>
        OtlpEndpoints.From(configuration) is { All: true } or { Metrics: true } || configuration.GetValue<bool>("Telemetry:Console")
        || configuration.GetValue("Telemetry:PrometheusPort", 0) > 0;

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
