using Microsoft.Extensions.Configuration;
using OpenTelemetry;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace MovieRecommender.ServiceDefaults;

/// <summary>
/// The one OpenTelemetry set-up, for the silo (<see cref="HostTelemetry"/>), the console client and the trainer
/// (<see cref="ConsoleTelemetry"/>): the product's sources and meters (<c>MovieRecommender*</c>), Orleans' grain-call
/// spans, .NET runtime and process metrics, and logs, with the user ids in spans and log lines hashed
/// (<see cref="UserIdRedaction"/>). Exporters follow the standard variables (<see cref="OtlpEndpoints"/>), so any OTLP
/// backend works; the console exporter with <c>Telemetry:Console=true</c>.
/// </summary>
public static class RecommenderOpenTelemetry
{
    /// <summary>True when some exporter is configured; a console program skips OpenTelemetry entirely otherwise.</summary>
    public static bool Exports(IConfiguration configuration) =>
        TelemetryOptions.From(configuration).ConsoleExports(OtlpEndpoints.From(configuration));

    /// <param name="serviceName">The default <c>service.name</c>; <c>OTEL_SERVICE_NAME</c> and <c>OTEL_RESOURCE_ATTRIBUTES</c> win.</param>
    /// <param name="serviceInstanceId">This process among its service's (a silo's address); null: a generated id.</param>
    /// <param name="traces">False: no tracer provider, so no span is recorded at all (a silo whose traces go nowhere).</param>
    /// <param name="meters">False: no meter provider, so no instrument is listened to (a silo whose metrics go nowhere).</param>
    /// <param name="metrics">More meters and exporters for this program (a silo's Orleans meter and Prometheus endpoint).</param>
    /// <param name="telemetry">The section <c>Telemetry</c> when the caller has read it already; else read here.</param>
    public static IOpenTelemetryBuilder AddRecommenderTelemetry(this IOpenTelemetryBuilder otel, IConfiguration configuration,
        string serviceName, string? serviceInstanceId = null, Action<MeterProviderBuilder>? metrics = null, bool traces = true, bool meters = true,
        TelemetryOptions? telemetry = null)
    {
        telemetry ??= TelemetryOptions.From(configuration);
        var console = telemetry.Console;
        var userIds = UserIdRedaction.From(telemetry);
        otel.ConfigureResource(resource => resource
            .AddService(serviceName, serviceInstanceId: serviceInstanceId, autoGenerateServiceInstanceId: serviceInstanceId is null)
            // Again after our defaults, so the standard variables override them.
            .AddEnvironmentVariableDetector());
        if (traces) otel.WithTracing(tracing =>
        {
            // Spans with a parent follow it (so a sampled-out load request stays out everywhere); roots are kept
            // unless they ask for a share (TelemetryNames.TraceShareTag). OTEL_TRACES_SAMPLER, where set, wins.
            if (string.IsNullOrWhiteSpace(configuration["OTEL_TRACES_SAMPLER"]))
                tracing.SetSampler(new ParentBasedSampler(new ShareSampler()));
            tracing.AddSource(TelemetryNames.Product + "*", TelemetryNames.OrleansApplicationSource);
            // Before every exporter (OTLP's weigh more, so they come last), so none sees a raw user id.
            if (!userIds.Raw) tracing.AddProcessor(new UserIdRedactionProcessor(userIds));
            if (console) tracing.AddConsoleExporter();
        });
        if (meters) otel.WithMetrics(provider =>
        {
            provider.AddMeter(TelemetryNames.Product + "*")
                .AddRuntimeInstrumentation()
                .AddProcessInstrumentation();
            if (console) provider.AddConsoleExporter();
            metrics?.Invoke(provider);
        });
        otel.WithLogging(logging =>
        {
            if (!userIds.Raw) logging.AddProcessor(new UserIdLogRedactionProcessor(userIds));
            if (console) logging.AddConsoleExporter();
        }, options =>
        {
            options.IncludeFormattedMessage = true;
            // The scopes on exported lines are ASP.NET Core's (connection, request); the request's RequestPath names
            // the user (/v1/users/42/...) and a processor cannot rewrite a scope, so they are exported with raw ids only.
            options.IncludeScopes = userIds.Raw;
        });

        var otlp = OtlpEndpoints.From(configuration);
        if (otlp.All)
        {
            // One exporter for the three signals; per-signal variables still override their signal's settings.
            otel.UseOtlpExporter();
        }
        else
        {
            if (otlp.Traces && traces) otel.WithTracing(tracing => tracing.AddOtlpExporter());
            if (otlp.Metrics && meters) otel.WithMetrics(provider => provider.AddOtlpExporter());
            if (otlp.Logs) otel.WithLogging(logging => logging.AddOtlpExporter());
        }
        return otel;
    }
}
