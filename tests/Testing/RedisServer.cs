using System.Diagnostics;
using System.Globalization;
using MovieRecommender.CommandLine;

namespace MovieRecommender.Testing;

/// <summary>
/// A throwaway redis-server on a free loopback port with its data in a folder of the caller's, for tests and
/// benchmarks; with a password, it requires it (<c>requirepass</c>) and <see cref="Configuration"/> carries it.
/// Tests keep nothing on disk; a benchmark asks for the append-only file with fsync every second, as
/// scripts/cluster.sh runs cluster mode's, so its rates are those of a durable store.
/// </summary>
public sealed class RedisServer : IDisposable
{
    private readonly Process _process;

    private RedisServer(Process process, int port, string? password, string dataDir)
    {
        _process = process;
        Port = port;
        Password = password;
        DataDir = dataDir;
    }

    public int Port { get; }

    public string DataDir { get; }

    public int ProcessId => _process.Id;

    /// <summary>The password the server requires; null: none.</summary>
    public string? Password { get; }

    /// <summary>The StackExchange.Redis configuration string of this server, with its password when it has one.</summary>
    public string Configuration => Password is null ? $"127.0.0.1:{Port}" : $"127.0.0.1:{Port},password={Password}";

    /// <summary>A new cluster's settings on this Redis: the silos' command-line arguments, and the same as a client's configuration.</summary>
    public (string[] SiloArguments, Dictionary<string, string?> ClientSettings) NewCluster()
    {
        var clusterId = $"test-{Guid.NewGuid():N}";
        var client = new Dictionary<string, string?>
        {
            ["Cluster:Mode"] = "redis", ["Cluster:Redis"] = Configuration, ["Cluster:ClusterId"] = clusterId, ["Cluster:ServiceId"] = clusterId,
        };
        return ([.. client.Select(s => $"--{s.Key}={s.Value}")], client);
    }

    /// <param name="appendOnly">Keep an append-only file, fsync every second (a benchmark's durable store); else nothing on disk.</param>
    /// <param name="install">Install redis-server with scripts/install-redis.sh when missing (tests); else say how (a benchmark).</param>
    public static async Task<RedisServer> StartAsync(string dataDir, string? password = null, bool appendOnly = false, bool install = true)
    {
        await EnsureInstalledAsync(install);
        var port = Ports.Free();
        Directory.CreateDirectory(dataDir);
        var start = new ProcessStartInfo("redis-server",
            ["--bind", "127.0.0.1", "--port", port.ToString(CultureInfo.InvariantCulture), "--dir", dataDir, "--save", "",
                .. appendOnly ? ["--appendonly", "yes", "--appendfsync", "everysec"] : new[] { "--appendonly", "no" }])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        if (password is not null)
        {
            start.ArgumentList.Add("--requirepass");
            start.ArgumentList.Add(password);
        }
        var process = Process.Start(start) ?? throw new InvalidOperationException("could not start redis-server");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var server = new RedisServer(process, port, password, dataDir);
        for (var i = 0; i < 100; i++)
        {
            try
            {
                using var tcp = new System.Net.Sockets.TcpClient();
                await tcp.ConnectAsync(System.Net.IPAddress.Loopback, port);
                return server;
            }
            catch (System.Net.Sockets.SocketException)
            {
                await Task.Delay(50);
            }
        }
        server.Dispose();
        throw new InvalidOperationException($"redis-server did not listen on {port}");
    }

    /// <summary>INFO memory's used_memory (bytes), through redis-cli; null when it cannot be read.</summary>
    public async Task<long?> UsedMemoryBytesAsync(CancellationToken ct)
    {
        var info = await ChildProcess.RunAsync("redis-cli", ["-p", Port.ToString(CultureInfo.InvariantCulture), .. Password is null ? Array.Empty<string>() : ["-a", Password], "info", "memory"], DataDir, null, ct);
        if (info.ExitCode != 0) return null;
        foreach (var line in info.StandardOutput.Split('\n'))
            if (line.StartsWith("used_memory:", StringComparison.Ordinal)
                && long.TryParse(line["used_memory:".Length..].Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var bytes))
                return bytes;
        return null;
    }

    private static async Task EnsureInstalledAsync(bool installIfMissing)
    {
        if (File.Exists("/usr/bin/redis-server") || File.Exists("/usr/local/bin/redis-server")) return;
        if (!installIfMissing) throw new UserFacingException("redis-server is not installed: run scripts/install-redis.sh (Debian's redis-server, apt-get), then again.");
        var script = Path.Combine(RepositoryRoot.Path, "scripts", "install-redis.sh");
        using var install = Process.Start("bash", [script]) ?? throw new InvalidOperationException("could not run " + script);
        await install.WaitForExitAsync();
        if (install.ExitCode != 0) throw new InvalidOperationException($"{script} failed ({install.ExitCode}); install redis-server to run the cluster-mode tests.");
    }

    public void Dispose()
    {
        try { if (!_process.HasExited) _process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
        _process.Dispose();
    }
}
