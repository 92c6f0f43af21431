using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace MovieRecommender.AppHost;

/// <summary>Healthy once something accepts connections on a loopback port: an executable resource is "running" as soon as
/// its process starts, before it listens, and the silos must not dial Redis before that.</summary>
public sealed class TcpPortHealthCheck(int port) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            using var tcp = new TcpClient();
            await tcp.ConnectAsync(IPAddress.Loopback, port, cancellationToken);
            return HealthCheckResult.Healthy();
        }
        catch (SocketException e)
        {
            return HealthCheckResult.Unhealthy($"nothing listens on 127.0.0.1:{port} yet ({e.SocketErrorCode}).");
        }
    }
}
