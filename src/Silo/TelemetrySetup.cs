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
/// OTLP when OTEL_EXPORTER_OTLP_ENDPOINT is set (the standard variable), the console when Telemetry:Console is true.
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
            });
        if (otlp) telemetry.UseOtlpExporter();
        return builder;
    }
}
