using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using MovieRecommender.Benchmarks.Training;
using MovieRecommender.Cli;

namespace MovieRecommender.Benchmarks.Publish;

/// <summary>
/// The real silo program (src/Silo's build) in a child process, on free ports, with its own model store; its
/// output is drained into a bounded tail and its warnings and errors counted. Killed (with its children) on dispose.
/// </summary>
public sealed class SiloHost : IAsyncDisposable
{
    private const int TailLines = 200;

    private readonly Process _process;
    private readonly Queue<string> _tail = new();
    private readonly List<string> _problems = [];
    private int _problemCount;
    private bool _joinNext;

    private SiloHost(Process process, int siloPort, int gatewayPort, string storeRoot)
    {
        _process = process;
        SiloPort = siloPort;
        GatewayPort = gatewayPort;
        StoreRoot = storeRoot;
    }

    public int SiloPort { get; }
    public int GatewayPort { get; }
    public string StoreRoot { get; }
    public int ProcessId => _process.Id;
    public bool HasExited => _process.HasExited;

    /// <summary>Lines of the silo's output that look like warnings or errors (Orleans logs at Warning and above).</summary>
    public int ProblemCount { get { lock (_tail) return _problemCount; } }

    /// <summary>The first few warning or error lines, for the report.</summary>
    public IReadOnlyList<string> Problems { get { lock (_tail) return [.. _problems]; } }

    public string Tail(int lines = 20)
    {
        lock (_tail) return string.Join('\n', _tail.TakeLast(lines));
    }

    public static async Task<SiloHost> StartAsync(string siloDll, string storeRoot, TimeSpan readyTimeout, CancellationToken ct)
    {
        var siloPort = FreePort();
        var gatewayPort = FreePort();
        while (gatewayPort == siloPort) gatewayPort = FreePort();
        var info = new ProcessStartInfo(BenchmarkEnvironment.DotnetHost())
        {
            ArgumentList =
            {
                siloDll,
                $"--Cluster:SiloPort={siloPort.ToString(CultureInfo.InvariantCulture)}",
                $"--Cluster:GatewayPort={gatewayPort.ToString(CultureInfo.InvariantCulture)}",
                $"--Storage:Root={storeRoot}",
            },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        Process process;
        try
        {
            process = Process.Start(info) ?? throw new UserFacingException($"could not start the silo ({siloDll}).");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new UserFacingException($"could not start the silo ({siloDll}): {e.Message}", e);
        }
        var host = new SiloHost(process, siloPort, gatewayPort, storeRoot);
        var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            host.Record(e.Data);
            if (e.Data.Contains("Silo ready", StringComparison.Ordinal)) ready.TrySetResult();
        };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) host.Record(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(readyTimeout);
        var finished = await Task.WhenAny(ready.Task, process.WaitForExitAsync(timeout.Token).ContinueWith(_ => { }, TaskScheduler.Default));
        if (finished != ready.Task)
        {
            await host.DisposeAsync();
            ct.ThrowIfCancellationRequested();
            throw new UserFacingException($"the silo did not print 'Silo ready' within {readyTimeout.TotalSeconds:F0} s; its last output:\n{host.Tail()}");
        }
        return host;
    }

    private void Record(string line)
    {
        lock (_tail)
        {
            _tail.Enqueue(line);
            while (_tail.Count > TailLines) _tail.Dequeue();
            // Microsoft.Extensions.Logging's console format: "warn: Category[id]" (also "fail:", "crit:"), then the
            // message on the following, indented line: that first message line is joined to its header.
            if (line.StartsWith("warn:", StringComparison.Ordinal) || line.StartsWith("fail:", StringComparison.Ordinal)
                || line.StartsWith("crit:", StringComparison.Ordinal))
            {
                _problemCount++;
                _joinNext = _problems.Count < 10;
                if (_joinNext) _problems.Add(line);
            }
            else if (_joinNext)
            {
                _joinNext = false;
                var joined = _problems[^1] + " " + line.Trim();
                _problems[^1] = joined.Length > 500 ? joined[..500] + " ..." : joined;
            }
        }
    }

    /// <summary>The silo's peak resident set (VmHWM in /proc/PID/status), in bytes; null when unreadable.</summary>
    public long? PeakRssBytes() => ProcStatus(_process.Id, "VmHWM:");

    /// <summary>The silo's current resident set (VmRSS), in bytes; null when unreadable.</summary>
    public long? RssBytes() => ProcStatus(_process.Id, "VmRSS:");

    /// <summary>A field (in kB) of /proc/PID/status, in bytes; null when the process is gone or the field absent.</summary>
    public static long? ProcStatus(int pid, string field)
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/status"))
            {
                if (!line.StartsWith(field, StringComparison.Ordinal)) continue;
                var parts = line[field.Length..].Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
                return long.Parse(parts[0], CultureInfo.InvariantCulture) * 1024;
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
        }
        return null;
    }

    private static int FreePort()
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
