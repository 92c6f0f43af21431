using System.Globalization;
using System.Net;

namespace MovieRecommender.EndToEnd.Tests.Security;

/// <summary>
/// Every port a silo opens (silo-to-silo, gateway, HTTP API, Prometheus) listens on loopback unless configured otherwise: read
/// from the kernel's socket tables for the real silo process. Cluster mode's silos are checked in
/// <see cref="SecureClusterTests"/>; the dashboard's in DashboardSecurityTests.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class LoopbackListenerTests
{
    [Fact]
    public void ProcNetTcpAddressesAreRead()
    {
        Assert.Equal(new IPEndPoint(IPAddress.Loopback, 0x2B67), ListeningSockets.ParseEndpoint("0100007F:2B67"));
        Assert.Equal(new IPEndPoint(IPAddress.IPv6Loopback, 80), ListeningSockets.ParseEndpoint("00000000000000000000000001000000:0050"));
        Assert.Equal(new IPEndPoint(IPAddress.Any, 22), ListeningSockets.ParseEndpoint("00000000:0016"));
    }

    [Fact]
    public async Task TheEmbeddedDefaultSiloListensOnLoopbackOnly()
    {
        using var temp = new TempFolder();
        var prometheusPort = Ports.Free();
        await using var silo = await SiloProcess.StartAsync(Path.Combine(temp.Path, "store"),
            settings: [$"--Telemetry:PrometheusPort={prometheusPort.ToString(CultureInfo.InvariantCulture)}"], withoutInheritedOtel: true);
        var listening = await ListeningSockets.WaitForAsync(silo.ProcessId, [silo.SiloPort, silo.GatewayPort, silo.HttpPort, prometheusPort]);
        ListeningSockets.AssertLoopbackOnly(listening, silo.Program.Tail());

        // The program itself serves HTTP from the silo's process, on the port it was given.
        using var http = new HttpClient { BaseAddress = silo.HttpAddress };
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("healthz")).StatusCode);
        Assert.Contains($"HTTP http://127.0.0.1:{silo.HttpPort}", silo.Program.Output);
    }
}
