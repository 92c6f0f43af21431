using System.Globalization;
using MovieRecommender.CommandLine;

namespace MovieRecommender.Benchmarks.Telemetry;

/// <summary>
/// Where the "with telemetry" arm exports: the project's dashboard (scripts/dashboard.sh: started if it is not running,
/// stopped again at the end only if this run started it), or an endpoint given on the command line.
/// <see cref="Environment"/> holds the OTEL_* variables to give the exporting processes.
/// </summary>
public sealed class OtlpReceiver : IAsyncDisposable
{
    private readonly string? _script;
    private readonly string _root;
    private readonly bool _startedHere;

    private OtlpReceiver(string description, IReadOnlyDictionary<string, string> environment, string? script, string root, bool startedHere, int? pid)
    {
        Description = description;
        Environment = environment;
        _script = script;
        _root = root;
        _startedHere = startedHere;
        ProcessId = pid;
    }

    public string Description { get; }
    public IReadOnlyDictionary<string, string> Environment { get; }

    /// <summary>The receiving process, when it runs here and is known (the dashboard's pid file): its CPU is measured.</summary>
    public int? ProcessId { get; }

    /// <summary>The environment the exporters get, the API key masked, for the report.</summary>
    public IReadOnlyDictionary<string, string> MaskedEnvironment =>
        Environment.ToDictionary(p => p.Key, p => p.Key.EndsWith("_HEADERS", StringComparison.Ordinal) ? Mask(p.Value) : p.Value);

    private static string Mask(string headers) =>
        string.Join(',', headers.Split(',').Select(h => h.Split('=', 2) is [var name, _] ? $"{name}=***" : h));

    /// <summary>An explicit endpoint (nothing started), else the dashboard script's.</summary>
    public static async Task<OtlpReceiver> OpenAsync(string root, string? endpoint, string? protocol, string? headers, int? metricIntervalMs, CancellationToken ct)
    {
        if (!string.IsNullOrWhiteSpace(endpoint))
        {
            var env = new Dictionary<string, string>(StringComparer.Ordinal) { ["OTEL_EXPORTER_OTLP_ENDPOINT"] = endpoint };
            if (!string.IsNullOrWhiteSpace(protocol)) env["OTEL_EXPORTER_OTLP_PROTOCOL"] = protocol;
            if (!string.IsNullOrWhiteSpace(headers)) env["OTEL_EXPORTER_OTLP_HEADERS"] = headers;
            if (metricIntervalMs is { } ms) env["OTEL_METRIC_EXPORT_INTERVAL"] = ms.ToString(CultureInfo.InvariantCulture);
            return new OtlpReceiver($"given endpoint {endpoint}", env, null, root, false, null);
        }

        var script = Path.Combine(root, "scripts", "dashboard.sh");
        if (!File.Exists(script))
            throw new UserFacingException($"{script} is missing: pass --otlp-endpoint (and --otlp-headers) of a running OTLP receiver instead.");
        var status = await ChildProcess.RunAsync("bash", [script, "status"], root, null, ct);
        var startedHere = false;
        if (status.ExitCode != 0)
        {
            var start = await ChildProcess.RunAsync("bash", [script, "start"], root, null, ct);
            if (start.ExitCode != 0) throw new UserFacingException($"scripts/dashboard.sh start failed (exit {start.ExitCode}): {start.Tail()}");
            startedHere = true;
        }
        var extra = new Dictionary<string, string>(StringComparer.Ordinal);
        if (!string.IsNullOrWhiteSpace(protocol)) extra["OTEL_EXPORTER_OTLP_PROTOCOL"] = protocol;
        if (metricIntervalMs is { } interval) extra["OTEL_METRIC_EXPORT_INTERVAL"] = interval.ToString(CultureInfo.InvariantCulture);
        var envOut = await ChildProcess.RunAsync("bash", [script, "env"], root, extra, ct);
        if (envOut.ExitCode != 0) throw new UserFacingException($"scripts/dashboard.sh env failed (exit {envOut.ExitCode}): {envOut.Tail()}");
        var environment = new Dictionary<string, string>(extra, StringComparer.Ordinal);
        foreach (var line in envOut.StandardOutput.Split('\n').Select(l => l.Trim()))
        {
            if (!line.StartsWith("export ", StringComparison.Ordinal)) continue;
            var assignment = line["export ".Length..];
            var eq = assignment.IndexOf('=');
            if (eq <= 0) continue;
            var value = assignment[(eq + 1)..];
            if (value.Length >= 2 && (value[0] == '\'' || value[0] == '"') && value[^1] == value[0]) value = value[1..^1];
            environment[assignment[..eq]] = value;
        }
        if (!environment.ContainsKey("OTEL_EXPORTER_OTLP_ENDPOINT"))
            throw new UserFacingException($"scripts/dashboard.sh env printed no OTEL_EXPORTER_OTLP_ENDPOINT: {envOut.StandardOutput.Trim()}");
        if (!string.IsNullOrWhiteSpace(headers)) environment["OTEL_EXPORTER_OTLP_HEADERS"] = headers;

        int? pid = null;
        var pidFile = Path.Combine(System.Environment.GetEnvironmentVariable("DASHBOARD_STATE_DIR") is { Length: > 0 } state ? state : Path.Combine(root, ".run", "dashboard"), "pid");
        if (File.Exists(pidFile) && int.TryParse(File.ReadAllText(pidFile).Trim(), CultureInfo.InvariantCulture, out var p)) pid = p;
        var description = $"Aspire dashboard via scripts/dashboard.sh ({(startedHere ? "started by this run" : "already running")}), {environment["OTEL_EXPORTER_OTLP_ENDPOINT"]}"
            + (environment.TryGetValue("OTEL_EXPORTER_OTLP_PROTOCOL", out var proto) ? $" ({proto})" : "");
        return new OtlpReceiver(description, environment, script, root, startedHere, pid);
    }

    /// <summary>CPU seconds of the receiver so far, when it runs here.</summary>
    public double? CpuSeconds() => ProcessId is { } pid ? ProcessStats.CpuSeconds(pid) : null;

    public async ValueTask DisposeAsync()
    {
        if (_startedHere && _script is not null)
            await ChildProcess.RunAsync("bash", [_script, "stop"], _root, null, CancellationToken.None);
    }
}
