using System.Net;
using System.Net.Sockets;

namespace MovieRecommender.EndToEnd.Tests;

/// <summary>The Silo program's own HTTP settings, as a process: a taken port and a bad key are one line each, no stack trace.</summary>
public sealed class SiloProgramHttpTests
{
    [Fact]
    public async Task AnHttpPortAlreadyTakenStopsTheSiloSayingWhichSettingToChange()
    {
        using var store = new TempFolder();
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var port = ((IPEndPoint)taken.LocalEndpoint).Port;
        var (siloPort, gatewayPort) = Ports.FreePair();

        var result = await ChildProcess.RunAsync(ChildProcess.DotnetHost(),
            [RepositoryRoot.ProgramDll("Silo"), $"--Cluster:SiloPort={siloPort}", $"--Cluster:GatewayPort={gatewayPort}", $"--Storage:Root={store.Path}", $"--Http:Port={port}"],
            store.Path, null, new CancellationTokenSource(TimeSpan.FromSeconds(120)).Token);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains($"silo: Failed to bind to address http://127.0.0.1:{port}: address already in use. Give this silo its own port with --Http:Port=N (env Http__Port).", result.StandardError);
        Assert.DoesNotContain("   at ", result.StandardError);
    }

    [Fact]
    public async Task AShortOperatorKeyIsAUsageErrorNamingTheKey()
    {
        using var store = new TempFolder();
        var result = await ChildProcess.RunAsync(ChildProcess.DotnetHost(),
            [RepositoryRoot.ProgramDll("Silo"), $"--Storage:Root={store.Path}", "--Http:OperatorKey=secret"],
            store.Path, null, new CancellationTokenSource(TimeSpan.FromSeconds(120)).Token);

        Assert.Equal(2, result.ExitCode);
        Assert.StartsWith("silo: Http:OperatorKey is 6 characters long: expected at least 16", result.StandardError.Trim());
    }
}
