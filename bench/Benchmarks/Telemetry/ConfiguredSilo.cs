using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using MovieRecommender.Benchmarks.Training;
using MovieRecommender.Cli;

namespace MovieRecommender.Benchmarks.Telemetry;

/// <summary>
/// The real silo program in a child process on free ports with its own model store and extra environment
/// (OTEL_*, Index__Tier, Telemetry__...), like <see cref="Publish.SiloHost"/> but configurable. Its output is kept
/// in a bounded tail; its CPU time is read from /proc. Killed (with its children) on dispose.
/// </summary>
public sealed class ConfiguredSilo : IAsyncDisposable
{
    private readonly Process _process;
    private readonly Queue<string> _tail = new();
    private readonly List<string> _problemLines = [];
    private int _problems;
    private bool _joinNext;

    private ConfiguredSilo(Process process, int siloPort, int gatewayPort, string store, string name)
    {
        _process = process;
        SiloPort = siloPort;
        GatewayPort = gatewayPort;
        Store = store;
        Name = name;
    }

    public string Name { get; }
    public int SiloPort { get; }
    public int GatewayPort { get; }
    public string Store { get; }
    public int ProcessId => _process.Id;
    public bool HasExited => _process.HasExited;

    /// <summary>Lines starting with warn:/fail:/crit: seen so far.</summary>
    public int ProblemCount { get { lock (_tail) return _problems; } }

    /// <summary>The first few warning/error lines (header and message joined).</summary>
    public IReadOnlyList<string> ProblemLines { get { lock (_tail) return [.. _problemLines]; } }

    public string Tail(int lines = 20)
    {
        lock (_tail) return string.Join('\n', _tail.TakeLast(lines));
    }

    /// <param name="environment">Extra variables; a null value removes the variable from the child's environment.</param>
    public static async Task<ConfiguredSilo> StartAsync(string name, string siloDll, string store, IReadOnlyDictionary<string, string?> environment,
        TimeSpan readyTimeout, CancellationToken ct)
    {
        var siloPort = FreePort();
        var gatewayPort = FreePort();
        while (gatewayPort == siloPort) gatewayPort = FreePort();
        Directory.CreateDirectory(store);
        var info = new ProcessStartInfo(BenchmarkEnvironment.DotnetHost())
        {
            ArgumentList =
            {
                siloDll,
                $"--Cluster:SiloPort={siloPort.ToString(CultureInfo.InvariantCulture)}",
                $"--Cluster:GatewayPort={gatewayPort.ToString(CultureInfo.InvariantCulture)}",
                $"--Storage:Root={store}",
            },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        foreach (var (key, value) in environment)
        {
            if (value is null) info.Environment.Remove(key);
            else info.Environment[key] = value;
        }
        Process process;
        try
        {
            process = Process.Start(info) ?? throw new UserFacingException($"could not start the silo ({siloDll}).");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new UserFacingException($"could not start the silo ({siloDll}): {e.Message}", e);
        }
        var silo = new ConfiguredSilo(process, siloPort, gatewayPort, store, name);
        var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            silo.Record(e.Data);
            if (e.Data.Contains("Silo ready", StringComparison.Ordinal)) ready.TrySetResult();
        };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) silo.Record(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(readyTimeout);
        var exited = process.WaitForExitAsync(timeout.Token).ContinueWith(_ => { }, TaskScheduler.Default);
        if (await Task.WhenAny(ready.Task, exited) != ready.Task)
        {
            await silo.DisposeAsync();
            ct.ThrowIfCancellationRequested();
            throw new UserFacingException($"silo '{name}' did not print 'Silo ready' within {readyTimeout.TotalSeconds:F0} s; its last output:\n{silo.Tail()}");
        }
        return silo;
    }

    private void Record(string line)
    {
        lock (_tail)
        {
            _tail.Enqueue(line);
            while (_tail.Count > 200) _tail.Dequeue();
            if (line.StartsWith("warn:", StringComparison.Ordinal) || line.StartsWith("fail:", StringComparison.Ordinal)
                || line.StartsWith("crit:", StringComparison.Ordinal))
            {
                _problems++;
                _joinNext = _problemLines.Count < 5;
                if (_joinNext) _problemLines.Add(line);
            }
            else if (_joinNext)
            {
                _joinNext = false;
                var joined = _problemLines[^1] + " " + line.Trim();
                _problemLines[^1] = joined.Length > 400 ? joined[..400] + " ..." : joined;
            }
        }
    }

    /// <summary>User + system CPU seconds of the silo so far (/proc/PID/stat), null when unreadable.</summary>
    public double? CpuSeconds() => ProcessCpuSeconds(_process.Id);

    public long? PeakRssBytes() => Publish.SiloHost.ProcStatus(_process.Id, "VmHWM:");

    /// <summary>utime + stime of a process from /proc/PID/stat (clock ticks of 1/100 s, Linux's USER_HZ), in seconds.</summary>
    public static double? ProcessCpuSeconds(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/stat");
            // Fields after the command name (which may hold spaces, inside parentheses): state is field 3.
            var rest = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            var ticks = long.Parse(rest[11], CultureInfo.InvariantCulture) + long.Parse(rest[12], CultureInfo.InvariantCulture);
            return ticks / 100.0;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException or ArgumentOutOfRangeException)
        {
            return null;
        }
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
                try { await _process.WaitForExitAsync(timeout.Token); } catch (OperationCanceledException) { }
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
        _process.Dispose();
    }
}
