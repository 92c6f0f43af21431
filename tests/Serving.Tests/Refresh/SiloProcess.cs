using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using MovieRecommender.Serving.Tests.Dashboard;

namespace MovieRecommender.Serving.Tests.Refresh;

/// <summary>The real silo program in a child process, on free ports, with a given model store; killed for real.</summary>
public sealed class SiloProcess : IDisposable
{
    private readonly Process _process;

    private SiloProcess(Process process, int gatewayPort)
    {
        _process = process;
        GatewayPort = gatewayPort;
    }

    public int GatewayPort { get; }

    public int Id => _process.Id;

    public static async Task<SiloProcess> StartAsync(string storeRoot, int siloPort, int gatewayPort, params string[] settings)
    {
        var silo = RepositoryRoot.ProgramDll("Silo");
        var info = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { silo, $"--Cluster:SiloPort={siloPort}", $"--Cluster:GatewayPort={gatewayPort}", $"--Storage:Root={storeRoot}" },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        // More configuration, e.g. "--Cluster:Mode=redis".
        foreach (var setting in settings) info.ArgumentList.Add(setting);
        var process = Process.Start(info) ?? throw new InvalidOperationException("could not start the silo");
        var ready = new TaskCompletionSource();
        var output = new System.Text.StringBuilder();
        process.OutputDataReceived += (_, e) =>
        {
            lock (output) output.AppendLine(e.Data);
            if (e.Data?.Contains("Silo ready", StringComparison.Ordinal) == true) ready.TrySetResult();
        };
        process.ErrorDataReceived += (_, e) => { lock (output) output.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var finished = await Task.WhenAny(ready.Task, process.WaitForExitAsync(), Task.Delay(TimeSpan.FromSeconds(60)));
        if (finished != ready.Task)
        {
            try { process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
            lock (output) throw new InvalidOperationException($"the silo did not become ready:\n{output}");
        }
        return new SiloProcess(process, gatewayPort);
    }

    /// <summary>kill -9: no shutdown code runs.</summary>
    public async Task KillAsync()
    {
        _process.Kill(entireProcessTree: true); // SIGKILL on Linux
        await _process.WaitForExitAsync();
    }

    /// <summary>SIGTERM: the host's graceful shutdown.</summary>
    public async Task StopAsync()
    {
        using (var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])) await kill.WaitForExitAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await _process.WaitForExitAsync(timeout.Token);
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public void Dispose()
    {
        try { if (!_process.HasExited) _process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
        _process.Dispose();
    }
}
