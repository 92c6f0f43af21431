using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace MovieRecommender.ServiceDefaults;

/// <summary>
/// The product's own telemetry settings (configuration section <c>Telemetry</c>), bound once; the standard
/// OpenTelemetry variables (<see cref="OtlpEndpoints"/>) say where OTLP goes. Live served recall has its own
/// subsection, <c>Telemetry:ServedRecall</c>, which the grains bind.
/// </summary>
public sealed class TelemetryOptions
{
    public const string Section = "Telemetry";

    /// <summary>Also print spans, metrics and logs on the console (<c>Telemetry:Console=true</c>).</summary>
    public bool Console { get; set; }

    /// <summary>A silo's Prometheus scrape endpoint port (<c>Telemetry:PrometheusPort</c>); 0: none.</summary>
    public int PrometheusPort { get; set; }

    /// <summary>Where the Prometheus endpoint listens (<c>Telemetry:PrometheusHost</c>): loopback by default.</summary>
    public string PrometheusHost { get; set; } = "localhost";

    /// <summary>
    /// The secret key of the user ids' keyed hash in traces and logs (<c>Telemetry:UserIdKey</c>; see
    /// <see cref="UserIdRedaction"/>). Every silo and client of a cluster sets the same one, so a user's spans and log
    /// lines carry the same hash everywhere. Unset: a random key per process.
    /// </summary>
    public string? UserIdKey { get; set; }

    /// <summary>Raw user ids in traces and logs instead of their hash (<c>Telemetry:RawUserIds=true</c>), for debugging.</summary>
    public bool RawUserIds { get; set; }

    /// <summary>The section as configured, checked (<see cref="TelemetryOptionsValidator"/>).</summary>
    /// <exception cref="OptionsValidationException">A value is wrong; the message names its key.</exception>
    public static TelemetryOptions From(IConfiguration configuration) =>
        ValidatedOptions.Read(configuration, Section, new TelemetryOptionsValidator());

    /// <summary>The Prometheus endpoint's prefix, e.g. <c>http://localhost:9464/</c>; null when there is none.</summary>
    public string? PrometheusPrefix => PrometheusPort <= 0 ? null : $"http://{PrometheusHost}:{PrometheusPort}/";

    // What goes nowhere is not recorded: a signal no exporter takes has no provider, and costs no request anything.

    /// <summary>Some exporter takes traces: OTLP (<paramref name="otlp"/>) or the console.</summary>
    public bool ExportsTraces(OtlpEndpoints otlp) => otlp.All || otlp.Traces || Console;

    /// <summary>
    /// Some exporter takes metrics: OTLP, the console or a host's Prometheus endpoint. Without one, what only feeds an
    /// instrument (Orleans' per-message meter, the live served-recall checks) is not done either.
    /// </summary>
    public bool ExportsMetrics(OtlpEndpoints otlp) => otlp.All || otlp.Metrics || Console || PrometheusPort > 0;

    /// <summary>A console program (no Prometheus endpoint of its own) exports anything at all.</summary>
    public bool ConsoleExports(OtlpEndpoints otlp) => otlp.Any || Console;
}

/// <summary>Checks <see cref="TelemetryOptions"/>; each fault names its key, the value and what it expects.</summary>
public sealed class TelemetryOptionsValidator : IValidateOptions<TelemetryOptions>
{
    public ValidateOptionsResult Validate(string? name, TelemetryOptions o)
    {
        const string s = TelemetryOptions.Section;
        if (o.PrometheusPort is < 0 or > 65535)
            return ValidateOptionsResult.Fail($"{s}:PrometheusPort is {o.PrometheusPort}: expected a TCP port between 1 and 65535, or 0 for no endpoint.");
        if (string.IsNullOrWhiteSpace(o.PrometheusHost))
            return ValidateOptionsResult.Fail($"{s}:PrometheusHost is empty: expected a host name or address such as localhost.");
        if (o.UserIdKey is { Length: > 0 } key && key.Length < UserIdRedaction.MinKeyLength)
            return ValidateOptionsResult.Fail($"{s}:UserIdKey has {key.Length} characters: expected a secret of at least {UserIdRedaction.MinKeyLength}, or none for a random key per process.");
        return ValidateOptionsResult.Success;
    }
}
