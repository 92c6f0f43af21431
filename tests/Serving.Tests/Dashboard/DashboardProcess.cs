using System.Diagnostics;
using System.Net.Sockets;
using MovieRecommender.Serving.Tests.Refresh;

namespace MovieRecommender.Serving.Tests.Dashboard;

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
        var (ui, grpc, http) = (SiloProcess.FreePort(), SiloProcess.FreePort(), SiloProcess.FreePort());
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

/// <summary>The repository's root: the first folder up from the test assembly that holds Orleans.sln.</summary>
public static class RepositoryRoot
{
    public static string Path { get; } = Find();

    private static string Find()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(folder.FullName, "Orleans.sln"))) return folder.FullName;
        }
        throw new InvalidOperationException($"no Orleans.sln above {AppContext.BaseDirectory}");
    }

    /// <summary>The build configuration the tests run in (Release or Debug), read from the test assembly's path.</summary>
    public static string Configuration { get; } =
        AppContext.BaseDirectory.Split(System.IO.Path.DirectorySeparatorChar).Contains("Debug") ? "Debug" : "Release";

    /// <summary>The built DLL of a program of src/ (Client, Silo, Trainer) in the tests' configuration.</summary>
    public static string ProgramDll(string project)
    {
        var dll = System.IO.Path.Combine(Path, "src", project, "bin", Configuration, "net10.0", $"MovieRecommender.{project}.dll");
        if (!File.Exists(dll)) throw new InvalidOperationException($"{dll} is missing: build Orleans.sln (-c {Configuration}) first");
        return dll;
    }
}

/// <summary>A .NET program of src/ run as a child process with its own environment, its output captured.</summary>
public sealed class ChildProgram : IDisposable
{
    private readonly Process _process;
    private readonly System.Text.StringBuilder _output = new();
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly string? _readyLine;

    private ChildProgram(string dll, IEnumerable<string> arguments, IReadOnlyDictionary<string, string> environment, string? readyLine)
    {
        _readyLine = readyLine;
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        info.ArgumentList.Add(dll);
        foreach (var argument in arguments) info.ArgumentList.Add(argument);
        // Whatever OTLP settings the test runner's environment has must not leak into the child: only ours count.
        foreach (var name in info.Environment.Keys.Where(k => k.StartsWith("OTEL_", StringComparison.Ordinal)).ToList()) info.Environment.Remove(name);
        foreach (var (name, value) in environment) info.Environment[name] = value;
        _process = Process.Start(info) ?? throw new InvalidOperationException($"could not start {dll}");
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public string Output { get { lock (_output) return _output.ToString(); } }

    public int ExitCode => _process.ExitCode;

    private void Append(string? line)
    {
        if (line is null) return;
        lock (_output) _output.AppendLine(line);
        if (_readyLine is not null && line.Contains(_readyLine, StringComparison.Ordinal)) _ready.TrySetResult();
    }

    /// <summary>Starts a long-running program and waits for a line that says it is ready.</summary>
    public static async Task<ChildProgram> StartAsync(string dll, IEnumerable<string> arguments, IReadOnlyDictionary<string, string> environment, string readyLine, TimeSpan timeout)
    {
        var program = new ChildProgram(dll, arguments, environment, readyLine);
        var finished = await Task.WhenAny(program._ready.Task, program._process.WaitForExitAsync(), Task.Delay(timeout));
        if (finished != program._ready.Task)
        {
            program.Dispose();
            throw new InvalidOperationException($"{Path.GetFileName(dll)} did not print '{readyLine}' in {timeout.TotalSeconds:0} s:\n{program.Output}");
        }
        return program;
    }

    /// <summary>Runs a program to its end.</summary>
    public static async Task<ChildProgram> RunAsync(string dll, IEnumerable<string> arguments, IReadOnlyDictionary<string, string> environment, TimeSpan timeout)
    {
        var program = new ChildProgram(dll, arguments, environment, readyLine: null);
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await program._process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            program.Dispose();
            throw new TimeoutException($"{Path.GetFileName(dll)} {string.Join(' ', arguments)} did not finish in {timeout.TotalSeconds:0} s:\n{program.Output}");
        }
        program._process.WaitForExit(); // drains the redirected output
        return program;
    }

    /// <summary>SIGTERM, so the host shuts down gracefully and its exporters flush.</summary>
    public async Task StopAsync()
    {
        if (_process.HasExited) return;
        using (var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])) await kill.WaitForExitAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try { await _process.WaitForExitAsync(timeout.Token); } catch (OperationCanceledException) { }
    }

    public void Dispose()
    {
        try { if (!_process.HasExited) _process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
        _process.Dispose();
    }
}
