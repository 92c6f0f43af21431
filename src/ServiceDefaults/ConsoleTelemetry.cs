using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using OpenTelemetry;

namespace MovieRecommender.ServiceDefaults;

/// <summary>
/// OpenTelemetry for a short-lived console program (client, trainer): started before its command runs and
/// disposed after, which flushes every span, metric and log line still buffered. Nothing is started when no
/// exporter is configured, so a plain run pays nothing.
/// </summary>
public sealed class ConsoleTelemetry : IDisposable
{
    private readonly OpenTelemetrySdk? _sdk;

    private ConsoleTelemetry(OpenTelemetrySdk? sdk) => _sdk = sdk;

    /// <summary>Logs exported with the trace context of the span they are written in (a no-op logger without export).</summary>
    public ILoggerFactory LoggerFactory => _sdk?.GetLoggerFactory() ?? NullLoggerFactory.Instance;

    /// <summary>No telemetry at all.</summary>
    public static ConsoleTelemetry None { get; } = new(null);

    public static ConsoleTelemetry Start(string serviceName)
    {
        var configuration = new ConfigurationBuilder().AddEnvironmentVariables().Build();
        var telemetry = TelemetryOptions.From(configuration);
        if (!telemetry.ConsoleExports(OtlpEndpoints.From(configuration))) return None;
        return new ConsoleTelemetry(OpenTelemetrySdk.Create(otel => otel.AddRecommenderTelemetry(configuration, serviceName, telemetry: telemetry)));
    }

    public void Dispose() => _sdk?.Dispose();
}
