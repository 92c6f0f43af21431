using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MovieRecommender.Hosting;
using MovieRecommender.Telemetry;

// The embedded default: one silo, localhost clustering, everything in this process. Cluster:Mode=redis makes it
// one silo of a cluster whose membership and state live in Redis (see AddMovieRecommender).
// Ports and the store come from configuration (Cluster:SiloPort, Cluster:GatewayPort, Storage:Root;
// e.g. env Cluster__GatewayPort=30001).
try
{
    var builder = Host.CreateApplicationBuilder(args);
    builder.Logging.AddFilter("Orleans", LogLevel.Warning);
    builder.Logging.AddFilter("Microsoft", LogLevel.Warning);

    builder.UseOrleans(silo => silo.AddMovieRecommender());
    builder.AddRecommenderTelemetry();
    var prometheus = TelemetrySetup.PrometheusPrefix(builder.Configuration) is { } prefix ? $", metrics {prefix}metrics" : "";
    var otlp = OtlpEndpoints.From(builder.Configuration).Any
        ? $", telemetry over OTLP to {builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"] ?? "the per-signal endpoints"}" : "";

    using var host = builder.Build();
    var description = RecommenderSiloBuilderExtensions.Describe(host.Services);
    host.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStarted.Register(() =>
        Console.WriteLine($"Silo ready: {description}{prometheus}{otlp}. Ctrl+C or SIGTERM stops it."));
    await host.RunAsync();
    return 0;
}
catch (Exception e) when (e is OrleansConfigurationException or OptionsValidationException)
{
    // A wrong setting: one line naming the key and what it expects, no stack trace.
    await Console.Error.WriteLineAsync($"silo: {e.Message}");
    return 2;
}
