using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MovieRecommender.Hosting;
using MovieRecommender.Telemetry;
using OpenTelemetry.Metrics;
using Orleans.Dashboard;

namespace MovieRecommender.Http;

/// <summary>
/// The silo as an ASP.NET Core host: one process that is an Orleans silo (<see cref="RecommenderSiloBuilderExtensions.AddMovieRecommender"/>)
/// and serves the HTTP API, calling its grains without an extra hop. The Silo program and the HTTP tests build it
/// the same way, from command-line style settings.
/// </summary>
public static class RecommenderWebSilo
{
    /// <exception cref="OrleansConfigurationException">A cluster or storage setting is wrong.</exception>
    /// <exception cref="OptionsValidationException">An <c>Http</c> setting is wrong.</exception>
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(args);
        builder.Logging.AddFilter("Orleans", LogLevel.Warning);
        builder.Logging.AddFilter("Microsoft", LogLevel.Warning);
        // A refused key is the caller's business (it gets a 401), not a line per request in the silo's log.
        builder.Logging.AddFilter("MovieRecommender.Http.Security", LogLevel.Warning);

        var http = builder.AddRecommenderHttp();
        builder.UseOrleans(silo =>
        {
            silo.AddMovieRecommender();
            // Grain-level statistics for /dashboard; its call filter profiles every grain call, so only when it is mounted.
            if (http.DashboardMounted) silo.AddDashboard();
        });
        builder.AddRecommenderTelemetry();
        // ASP.NET Core's own instruments beside the silo's: http.server.request.duration by route and status, Kestrel's
        // connections, the rate limiter's rejections. (Its request spans are left out: every HTTP root would be traced.)
        if (TelemetrySetup.ExportsMetrics(builder.Configuration))
            builder.Services.AddOpenTelemetry().WithMetrics(metrics => metrics.AddMeter(
                "Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel", "Microsoft.AspNetCore.RateLimiting"));
        configure?.Invoke(builder);
        return builder.Build().MapRecommenderHttp();
    }

    /// <summary>Where the API answers, for the silo's ready line, e.g. <c>HTTP http://127.0.0.1:8080 (operator key set)</c>.</summary>
    public static string Describe(IServiceProvider services)
    {
        var http = services.GetRequiredService<IOptions<HttpApiOptions>>().Value;
        var host = http.Host.Contains(':') ? $"[{http.Host}]" : http.Host;
        var keys = $"recommendations {(http.ClientKeyRequired ? "need a key" : "open")}, operator routes {(http.OperatorKey is null ? "off (no Http:OperatorKey)" : "need the operator key")}";
        return $"HTTP http://{host}:{http.Port} ({keys})";
    }
}
