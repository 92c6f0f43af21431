using System.Diagnostics;

namespace MovieRecommender.EndToEnd.Tests.Redis;

/// <summary>
/// A throwaway redis-server on a free loopback port with its data in a temporary folder, installed by the
/// repository's own script (scripts/install-redis.sh, apt-get) when missing; with a password, it requires it
/// (<c>requirepass</c>) and <see cref="Configuration"/> carries it.
/// </summary>
public sealed class RedisServer : IDisposable
{
    private readonly Process _process;

    private RedisServer(Process process, int port, string? password)
    {
        _process = process;
        Port = port;
        Password = password;
    }

    public int Port { get; }

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

    public static async Task<RedisServer> StartAsync(string dataDir, string? password = null)
    {
        await EnsureInstalledAsync();
        var port = Ports.Free();
        Directory.CreateDirectory(dataDir);
        var start = new ProcessStartInfo("redis-server")
        {
            ArgumentList = { "--bind", "127.0.0.1", "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--dir", dataDir, "--save", "", "--appendonly", "no" },
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
        var server = new RedisServer(process, port, password);
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

    private static async Task EnsureInstalledAsync()
    {
        if (File.Exists("/usr/bin/redis-server") || File.Exists("/usr/local/bin/redis-server")) return;
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
