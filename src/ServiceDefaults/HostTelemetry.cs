using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using OpenTelemetry.Metrics;

namespace MovieRecommender.ServiceDefaults;

/// <summary>
/// OpenTelemetry for a long-running host (the silo): the shared set-up (<see cref="RecommenderOpenTelemetry"/>) as one
/// instance of its service, with Orleans' meter, ASP.NET Core's and Kestrel's instruments, and a Prometheus scrape
/// endpoint when <c>Telemetry:PrometheusPort</c> is set. A signal no exporter takes is not recorded at all: spans and
/// instruments recorded for no one would cost every request.
/// </summary>
public static class HostTelemetry
{
    /// <summary>ASP.NET Core's own instruments: request duration by route and status, Kestrel's connections, the rate limiter's rejections.</summary>
    private static readonly string[] AspNetCoreMeters = ["Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel", "Microsoft.AspNetCore.RateLimiting"];

    /// <param name="serviceInstanceId">This process among its service's instances (a silo: host and silo port).</param>
    /// <exception cref="Microsoft.Extensions.Options.OptionsValidationException">A <c>Telemetry</c> setting is wrong.</exception>
    public static IHostApplicationBuilder AddRecommenderTelemetry(this IHostApplicationBuilder builder, string serviceName, string serviceInstanceId)
    {
        var configuration = builder.Configuration;
        var options = TelemetryOptions.From(configuration);
        var otlp = OtlpEndpoints.From(configuration);
        // What the host reads of its telemetry (its ready line names the Prometheus endpoint) is this instance.
        builder.Services.AddSingleton(Options.Create(options));
        // What the silo's own log lines say of a user (the spans' and others' log lines are hashed on export).
        builder.Services.AddUserIdRedaction(options);
        // ASP.NET Core's request spans are left out: every HTTP root would be traced.
        builder.Services.AddOpenTelemetry().AddRecommenderTelemetry(configuration, serviceName, serviceInstanceId, telemetry: options,
            traces: options.ExportsTraces(otlp), meters: options.ExportsMetrics(otlp), metrics: metrics =>
        {
            metrics.AddMeter(TelemetryNames.OrleansMeter).AddMeter(AspNetCoreMeters);
            if (options.PrometheusPort > 0)
                metrics.AddPrometheusHttpListener(o =>
                {
                    o.Host = options.PrometheusHost;
                    o.Port = options.PrometheusPort;
                });
        });
        return builder;
    }
}
