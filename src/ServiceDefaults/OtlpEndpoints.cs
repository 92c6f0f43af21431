using Microsoft.Extensions.Configuration;

namespace MovieRecommender.ServiceDefaults;

/// <summary>
/// Which signals the standard OpenTelemetry variables send over OTLP: all of them when
/// <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set, else each signal whose own <c>OTEL_EXPORTER_OTLP_{SIGNAL}_ENDPOINT</c> is.
/// The exporters themselves read the rest (protocol, headers, timeouts, export interval) from the same variables.
/// </summary>
public sealed record OtlpEndpoints(bool All, bool Traces, bool Metrics, bool Logs)
{
    public bool Any => All || Traces || Metrics || Logs;

    public static OtlpEndpoints From(IConfiguration configuration)
    {
        bool Set(string key) => !string.IsNullOrWhiteSpace(configuration[key]);
        return new OtlpEndpoints(
            Set("OTEL_EXPORTER_OTLP_ENDPOINT"),
            Set("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"),
            Set("OTEL_EXPORTER_OTLP_METRICS_ENDPOINT"),
            Set("OTEL_EXPORTER_OTLP_LOGS_ENDPOINT"));
    }
}
