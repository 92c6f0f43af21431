using System.Diagnostics;
using System.Net.Sockets;

namespace MovieRecommender.EndToEnd.Tests.Dashboard;

/// <summary>
/// The Aspire dashboard started by the project's own <c>scripts/dashboard.sh</c>, on free loopback ports, with its key and
/// token in a throwaway state folder, so several can run beside each other and beside a developer's own dashboard.
/// </summary>
public sealed class DashboardProcess : IAsyncDisposable
{
    private readonly TempFolder _state;

    private DashboardProcess(TempFolder state, int uiPort, int grpcPort, int httpPort)
    {
        _state = state;
        UiUrl = $"http://127.0.0.1:{uiPort}";
        OtlpGrpcUrl = $"http://127.0.0.1:{grpcPort}";
        OtlpHttpUrl = $"http://127.0.0.1:{httpPort}";
        ApiKey = File.ReadAllText(Path.Combine(state.Path, "otlp-api-key")).Trim();
        BrowserToken = File.ReadAllText(Path.Combine(state.Path, "browser-token")).Trim();
    }

    public string UiUrl { get; }

    public string OtlpGrpcUrl { get; }

    public string OtlpHttpUrl { get; }

    public string ApiKey { get; }

    public string BrowserToken { get; }

    public string StateFolder => _state.Path;

    public string LoginUrl => $"{UiUrl}/login?t={BrowserToken}";

    /// <summary>The standard OpenTelemetry variables that point a program's OTLP exporters here, with the key.</summary>
    public Dictionary<string, string> OtelEnvironment(string protocol = "grpc") => new()
    {
        ["OTEL_EXPORTER_OTLP_ENDPOINT"] = protocol == "grpc" ? OtlpGrpcUrl : OtlpHttpUrl,
        ["OTEL_EXPORTER_OTLP_PROTOCOL"] = protocol,
        ["OTEL_EXPORTER_OTLP_HEADERS"] = $"x-otlp-api-key={ApiKey}",
        ["OTEL_METRIC_EXPORT_INTERVAL"] = "1000",
        ["OTEL_BSP_SCHEDULE_DELAY"] = "1000",
    };

    public static async Task<DashboardProcess> StartAsync()
    {
        var state = new TempFolder();
        var (ui, grpc, http) = (Ports.Free(), Ports.Free(), Ports.Free());
        try
        {
            var (exitCode, output) = await RunScriptAsync(state.Path, "start", "--ui-port", $"{ui}", "--otlp-grpc-port", $"{grpc}", "--otlp-http-port", $"{http}");
            if (exitCode != 0) throw new InvalidOperationException($"scripts/dashboard.sh start failed ({exitCode}):\n{output}");
            return new DashboardProcess(state, ui, grpc, http);
        }
        catch
        {
            await RunScriptAsync(state.Path, "stop");
            state.Dispose();
            throw;
        }
    }

    /// <summary>Runs scripts/dashboard.sh with the given state folder; returns its exit code and output.</summary>
    public static async Task<(int ExitCode, string Output)> RunScriptAsync(string stateFolder, params string[] arguments) =>
        await RunScriptAsync(stateFolder, new Dictionary<string, string?>(), arguments);

    public static async Task<(int ExitCode, string Output)> RunScriptAsync(string stateFolder, IReadOnlyDictionary<string, string?> environment, params string[] arguments)
    {
        var info = new ProcessStartInfo("bash")
        {
            ArgumentList = { Path.Combine(RepositoryRoot.Path, "scripts", "dashboard.sh") },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in arguments) info.ArgumentList.Add(argument);
        info.Environment["DASHBOARD_STATE_DIR"] = stateFolder;
        foreach (var (name, value) in environment)
        {
            if (value is null) info.Environment.Remove(name);
            else info.Environment[name] = value;
        }
        using var process = Process.Start(info) ?? throw new InvalidOperationException("could not run bash");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout + await stderr);
    }

    public async ValueTask DisposeAsync()
    {
        await RunScriptAsync(_state.Path, "stop");
        _state.Dispose();
    }
}
