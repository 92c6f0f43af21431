using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using MovieRecommender.Hosting;
using MovieRecommender.Telemetry;

// The embedded default: one silo, localhost clustering, everything in this process. Cluster:Mode=redis makes it
// one silo of a cluster whose membership and state live in Redis (see ClusterMode).
// Ports and the store come from configuration (Cluster:SiloPort, Cluster:GatewayPort, Storage:Root;
// e.g. env Cluster__GatewayPort=30001).
var builder = Host.CreateApplicationBuilder(args);
builder.Logging.AddFilter("Orleans", LogLevel.Warning);
builder.Logging.AddFilter("Microsoft", LogLevel.Warning);

var description = "";
builder.UseOrleans(silo => description = silo.ConfigureRecommenderSilo(builder.Configuration));
builder.AddRecommenderTelemetry();
var prometheus = TelemetrySetup.PrometheusPrefix(builder.Configuration) is { } prefix ? $", metrics {prefix}metrics" : "";
var otlp = OtlpEndpoints.From(builder.Configuration).Any
    ? $", telemetry over OTLP to {builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"] ?? "the per-signal endpoints"}" : "";

using var host = builder.Build();
host.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStarted.Register(() =>
    Console.WriteLine($"Silo ready: {description}{prometheus}{otlp}. Ctrl+C or SIGTERM stops it."));
await host.RunAsync();
