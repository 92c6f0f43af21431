using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using MovieRecommender.Grains.Telemetry;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace MovieRecommender.Silo;

/// <summary>
/// OpenTelemetry for the silo: the product's own source and meter plus Orleans'. Exporters follow configuration:
/// OTLP when OTEL_EXPORTER_OTLP_ENDPOINT is set (the standard variable), the console when Telemetry:Console is true,
/// a Prometheus scrape endpoint when Telemetry:PrometheusPort is set.
/// </summary>
public static class TelemetrySetup
{
    public static IHostApplicationBuilder AddRecommenderTelemetry(this IHostApplicationBuilder builder)
    {
        var otlp = !string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]);
        var console = builder.Configuration.GetValue<bool>("Telemetry:Console");

        var telemetry = builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService("movie-recommender-silo"))
            .WithTracing(tracing =>
            {
                tracing.AddSource(RecommenderTelemetry.Name, "Microsoft.Orleans.Runtime", "Microsoft.Orleans.Application");
                if (console) tracing.AddConsoleExporter();
            })
            .WithMetrics(metrics =>
            {
                metrics.AddMeter(RecommenderTelemetry.Name, "Microsoft.Orleans");
                if (console) metrics.AddConsoleExporter();
                var prometheusPort = builder.Configuration.GetValue("Telemetry:PrometheusPort", 0);
                if (prometheusPort > 0)
                    metrics.AddPrometheusHttpListener(o =>
                    {
                        o.Host = builder.Configuration["Telemetry:PrometheusHost"] ?? "localhost";
                        o.Port = prometheusPort;
                    });
            });
        if (otlp) telemetry.UseOtlpExporter();
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
