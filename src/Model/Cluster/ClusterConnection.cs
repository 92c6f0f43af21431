using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Hosting;

namespace MovieRecommender.Model.Cluster;

/// <summary>
/// Connects a console program (client, trainer) to the running cluster: the embedded default's localhost
/// gateway, port 30000 unless Cluster:GatewayPort (env Cluster__GatewayPort) says otherwise.
/// </summary>
public sealed class ClusterConnection : IAsyncDisposable
{
    private readonly IHost _host;

    private ClusterConnection(IHost host) => _host = host;

    public IClusterClient Client => _host.Services.GetRequiredService<IClusterClient>();

    public static async Task<ClusterConnection> ConnectAsync(CancellationToken cancellationToken = default, int? gatewayPortOverride = null)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        var gatewayPort = gatewayPortOverride ?? builder.Configuration.GetValue("Cluster:GatewayPort", 30000);
        builder.UseOrleansClient(client => client
            .UseLocalhostClustering(gatewayPort)
            .AddActivityPropagation());
        var host = builder.Build();
        try
        {
            await ProbeGatewayAsync(gatewayPort, cancellationToken);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(15));
            await host.StartAsync(timeout.Token);
            return new ClusterConnection(host);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            host.Dispose();
            throw new ClusterUnavailableException(
                $"No silo answered at localhost:{gatewayPort}. Start one with 'dotnet run -c Release --project src/Silo' (or ./run.sh), then try again.", e);
        }
    }

    // Orleans' client retries a refused gateway until its timeout; a plain TCP connect tells at once.
    private static async Task ProbeGatewayAsync(int port, CancellationToken cancellationToken)
    {
        using var tcp = new System.Net.Sockets.TcpClient();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(5));
        await tcp.ConnectAsync(System.Net.IPAddress.Loopback, port, timeout.Token);
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await _host.StopAsync(TimeSpan.FromSeconds(5));
        }
        finally
        {
            _host.Dispose();
        }
    }
}
