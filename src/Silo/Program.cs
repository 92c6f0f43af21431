using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using MovieRecommender.Hosting;
using MovieRecommender.Http;
using MovieRecommender.Telemetry;

// The embedded default: one silo, localhost clustering, everything in this process. Cluster:Mode=redis makes it
// one silo of a cluster whose membership and state live in Redis (see AddMovieRecommender). The same process
// serves the HTTP API (section Http; default http://127.0.0.1:8080).
// Ports and the store come from configuration (Cluster:SiloPort, Cluster:GatewayPort, Http:Port, Storage:Root;
// e.g. env Cluster__GatewayPort=30001).
try
{
    await using var app = RecommenderWebSilo.Build(args);
    var prometheus = TelemetrySetup.PrometheusPrefix(app.Configuration) is { } prefix ? $", metrics {prefix}metrics" : "";
    var otlp = OtlpEndpoints.From(app.Configuration).Any
        ? $", telemetry over OTLP to {app.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"] ?? "the per-signal endpoints"}" : "";
    var description = $"{RecommenderSiloBuilderExtensions.Describe(app.Services)}, {RecommenderWebSilo.Describe(app.Services)}";
    app.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStarted.Register(() =>
        Console.WriteLine($"Silo ready: {description}{prometheus}{otlp}. Ctrl+C or SIGTERM stops it."));
    await app.RunAsync();
    return 0;
}
catch (Exception e) when (e is OrleansConfigurationException or OptionsValidationException)
{
    // A wrong setting: one line naming the key and what it expects, no stack trace.
    await Console.Error.WriteLineAsync($"silo: {e.Message}");
    return 2;
}
catch (IOException e) when (e.InnerException is Microsoft.AspNetCore.Connections.AddressInUseException)
{
    // Kestrel's "Failed to bind to address ...: address already in use": another silo holds the HTTP port.
    await Console.Error.WriteLineAsync($"silo: {e.Message.TrimEnd('.')}. Give this silo its own port with --Http:Port=N (env Http__Port).");
    return 1;
}
