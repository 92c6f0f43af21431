using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using MovieRecommender.Cluster;
using MovieRecommender.Grains.Hosting;
using MovieRecommender.HttpApi;
using MovieRecommender.ServiceDefaults;
using MovieRecommender.Silo.Hosting;
using Orleans.Dashboard;

namespace MovieRecommender.Silo;

/// <summary>
/// The silo: one ASP.NET Core host that is an Orleans silo and serves the HTTP API, calling its grains in process.
/// The embedded default is one silo with localhost clustering and its store in files; <c>Cluster:Mode=redis</c> makes
/// it one silo of a cluster whose membership and state live in Redis. Ports, store and keys come from configuration
/// (<c>Cluster:SiloPort</c>, <c>Cluster:GatewayPort</c>, <c>Http:Port</c>, <c>Storage:Root</c>; e.g. env <c>Cluster__GatewayPort=30001</c>).
/// </summary>
public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        try
        {
            await using var app = Build(args);
            var ready = SiloDescription.Describe(app.Services, app.Configuration);
            app.Lifetime.ApplicationStarted.Register(() => Console.WriteLine($"Silo ready: {ready}. Ctrl+C or SIGTERM stops it."));
            await app.RunAsync();
            return 0;
        }
        catch (Exception e) when ((ValidatedOptions.FaultOf(e) ?? (e as OrleansConfigurationException)?.Message) is { } fault)
        {
            // A wrong setting: one line naming the key and what it expects, no stack trace.
            await Console.Error.WriteLineAsync($"silo: {fault}");
            return 2;
        }
        catch (IOException e) when (e.InnerException is Microsoft.AspNetCore.Connections.AddressInUseException)
        {
            // Kestrel's "Failed to bind to address ...: address already in use": another silo holds the HTTP port.
            await Console.Error.WriteLineAsync($"silo: {e.Message.TrimEnd('.')}. Give this silo its own port with --Http:Port=N (env Http__Port).");
            return 1;
        }
    }

    /// <summary>
    /// How the silo is put together. The HTTP tests build it through here too, so they test this host.
    /// </summary>
    /// <param name="configure">What a test adds before the host is built.</param>
    /// <exception cref="Microsoft.Extensions.Options.OptionsValidationException">A setting is wrong; the message names its key.</exception>
    /// <exception cref="OrleansConfigurationException">The TLS certificate cannot be read.</exception>
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(args);
        builder.Logging.AddFilter("Orleans", LogLevel.Warning);
        builder.Logging.AddFilter("Microsoft", LogLevel.Warning);
        // Orleans places every new activation through a Polly pipeline, whose telemetry logs two Information lines per
        // placement: with a new user grain per request that was thousands of console lines a second, and threads
        // blocked on the console logger's full queue (the p99 stalls of issue 26). Its retries still log as warnings.
        builder.Logging.AddFilter("Polly", LogLevel.Warning);
        // A refused key is the caller's business (it gets a 401), not a line per request in the silo's log.
        builder.Logging.AddFilter("MovieRecommender.HttpApi.Security", LogLevel.Warning);
        // A host that fails to start is told by Main: a wrong setting in one line, anything else as its exception.
        // The host's own log of it would only repeat it with a stack trace.
        builder.Logging.AddFilter("Microsoft.Extensions.Hosting.Internal.Host", LogLevel.None);

        var cluster = RecommenderClusterOptions.From(builder.Configuration);
        // Each silo is its own service instance: host and silo port tell them apart on a dashboard.
        builder.AddRecommenderTelemetry(TelemetryNames.SiloService, $"{Environment.MachineName}:{cluster.SiloPort}");
        var http = builder.AddRecommenderHttpApi();
        // SIGTERM drains first (/readyz 503, shards move away, Serving:Shutdown:DrainDelay), then Orleans stops gracefully.
        builder.Services.AddGracefulDrain(builder.Configuration, clustered: cluster.IsRedis);
        // A grain call a stopping silo refused unexecuted ("Silo stopping") is sent again, to the grain's new activation.
        builder.Services.AddRejectedCallRetry();
        builder.UseOrleans(silo =>
        {
            silo.UseClusterMode(cluster);
            silo.AddMovieRecommenderGrains();
            // Grain-level statistics for /dashboard; its call filter profiles every grain call, so only when it is mounted.
            if (http.DashboardMounted) silo.AddDashboard();
        });
        configure?.Invoke(builder);

        var app = builder.Build();
        app.MapRecommenderHttpApi();
        return app;
    }
}
