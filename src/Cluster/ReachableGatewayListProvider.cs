using System.Net.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Orleans.Messaging;

namespace MovieRecommender.Cluster;

/// <summary>
/// The cluster's gateway list, less the gateways this client cannot reach. A silo that is alive for its peers stays in
/// the membership table even when the network between it and this client is cut, and Orleans' client keeps sending a
/// grain's calls over the same gateway connection, whose packets then vanish: every call through it waits out its
/// timeout until the TCP connection gives up, minutes later. Each refresh of the list (every 2 s) opens a TCP
/// connection to every gateway; one that does not connect within <see cref="ProbeTimeout"/> is left out, and Orleans
/// closes its connection, so the next call takes another gateway. When none connects, all are given: the fault is
/// then this client's, and Orleans decides.
/// </summary>
public sealed class ReachableGatewayListProvider(IGatewayListProvider inner, ILogger<ReachableGatewayListProvider> logger) : IGatewayListProvider
{
    public static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(1);

    private readonly HashSet<Uri> _unreachable = [];

    public TimeSpan MaxStaleness => inner.MaxStaleness;

    // Obsolete in Orleans (every provider counts as updatable), but still a member of the interface.
    [Obsolete("Orleans no longer reads it.")]
    public bool IsUpdatable => true;

    public Task InitializeGatewayListProvider() => inner.InitializeGatewayListProvider();

    public async Task<IList<Uri>> GetGateways()
    {
        var gateways = await inner.GetGateways();
        if (gateways.Count <= 1) return gateways;
        var reachable = await Task.WhenAll(gateways.Select(ConnectsAsync));
        var kept = gateways.Where((_, i) => reachable[i]).ToList();
        lock (_unreachable)
        {
            foreach (var (gateway, i) in gateways.Select((g, i) => (g, i)))
            {
                if (!reachable[i] && _unreachable.Add(gateway))
                    logger.LogWarning("Gateway {Gateway} does not accept connections from here within {Timeout} s; calls go through the others until it does", gateway, ProbeTimeout.TotalSeconds);
                else if (reachable[i] && _unreachable.Remove(gateway))
                    logger.LogInformation("Gateway {Gateway} is reachable again", gateway);
            }
        }
        return kept.Count > 0 ? kept : gateways;
    }

    private static async Task<bool> ConnectsAsync(Uri gateway)
    {
        using var timeout = new CancellationTokenSource(ProbeTimeout);
        using var tcp = new TcpClient();
        try
        {
            await tcp.ConnectAsync(gateway.Host, gateway.Port, timeout.Token);
            return true;
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>Puts this in front of the gateway list provider the clustering registered.</summary>
    public static void Decorate(IServiceCollection services)
    {
        var registered = services.LastOrDefault(d => d.ServiceType == typeof(IGatewayListProvider))
            ?? throw new InvalidOperationException("No gateway list provider is registered to put the reachability probe in front of.");
        services.Remove(registered);
        services.AddSingleton<IGatewayListProvider>(sp => new ReachableGatewayListProvider(
            registered.ImplementationInstance as IGatewayListProvider
                ?? (IGatewayListProvider)(registered.ImplementationFactory?.Invoke(sp) ?? ActivatorUtilities.CreateInstance(sp, registered.ImplementationType!)),
            sp.GetRequiredService<ILogger<ReachableGatewayListProvider>>()));
    }
}
