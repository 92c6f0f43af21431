using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using MovieRecommender.CommandLine;

namespace MovieRecommender.Benchmarks.Ratings;

/// <summary>
/// A redis-server of the benchmark's own on a free loopback port, its data in a folder of the run, configured as
/// scripts/cluster.sh runs cluster mode's (append-only file, fsync every second), so the rate is that of a durable
/// store; stopped (its pid, which this process started) on dispose.
/// </summary>
public sealed class BenchRedisServer : IAsyncDisposable
{
    private readonly Process _process;

    private BenchRedisServer(Process process, int port, string dataDir)
    {
        _process = process;
        Port = port;
        DataDir = dataDir;
    }

    public int Port { get; }

    public string DataDir { get; }

    /// <summary>The StackExchange.Redis configuration string of this server.</summary>
    public string Configuration => $"127.0.0.1:{Port.ToString(CultureInfo.InvariantCulture)}";

    public int ProcessId => _process.Id;

    public static async Task<BenchRedisServer> StartAsync(string dataDir, CancellationToken ct)
    {
        if (!File.Exists("/usr/bin/redis-server") && !File.Exists("/usr/local/bin/redis-server"))
            throw new UserFacingException("redis-server is not installed: run scripts/install-redis.sh (Debian's redis-server, apt-get), then again.");
        Directory.CreateDirectory(dataDir);
        var port = Ports.Free();
        var start = new ProcessStartInfo("redis-server")
        {
            ArgumentList =
            {
                "--bind", "127.0.0.1", "--port", port.ToString(CultureInfo.InvariantCulture), "--dir", dataDir,
                "--appendonly", "yes", "--appendfsync", "everysec", "--save", "",
            },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        var process = Process.Start(start) ?? throw new UserFacingException("could not start redis-server");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var server = new BenchRedisServer(process, port, dataDir);
        for (var i = 0; i < 100; i++)
        {
            try
            {
                using var tcp = new TcpClient();
                await tcp.ConnectAsync(IPAddress.Loopback, port, ct);
                return server;
            }
            catch (SocketException)
            {
                await Task.Delay(50, ct);
            }
        }
        await server.DisposeAsync();
        throw new UserFacingException($"redis-server did not listen on 127.0.0.1:{port}");
    }

    /// <summary>INFO memory's used_memory (bytes), through redis-cli; null when it cannot be read.</summary>
    public async Task<long?> UsedMemoryBytesAsync(CancellationToken ct)
    {
        var info = await ChildProcess.RunAsync("redis-cli", ["-p", Port.ToString(CultureInfo.InvariantCulture), "info", "memory"], DataDir, null, ct);
        if (info.ExitCode != 0) return null;
        foreach (var line in info.StandardOutput.Split('\n'))
            if (line.StartsWith("used_memory:", StringComparison.Ordinal)
                && long.TryParse(line["used_memory:".Length..].Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var bytes))
                return bytes;
        return null;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill();
                await _process.WaitForExitAsync();
            }
        }
        catch (InvalidOperationException) { }
        _process.Dispose();
    }
}
