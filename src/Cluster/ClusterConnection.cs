using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using MovieRecommender.ServiceDefaults;
using Orleans.Hosting;
using Orleans.Runtime;

namespace MovieRecommender.Cluster;

/// <summary>
/// Connects a console program (client, trainer) to the running cluster: the embedded default's localhost
/// gateway, port 30000 unless Cluster:GatewayPort (env Cluster__GatewayPort) says otherwise; or, with
/// Cluster:Mode=redis (env Cluster__Mode=redis), any silo of the cluster whose membership lives in the Redis at
/// Cluster:Redis (default 127.0.0.1:6379): the same <see cref="RecommenderClusterOptions"/> the silos read.
/// </summary>
public sealed class ClusterConnection : IAsyncDisposable
{
    private readonly IHost _host;

    private ClusterConnection(IHost host) => _host = host;

    public IClusterClient Client => _host.Services.GetRequiredService<IClusterClient>();

    /// <param name="settings">Configuration on top of the environment's, e.g. Cluster:Mode and Cluster:Redis (tests).</param>
    /// <exception cref="Microsoft.Extensions.Options.OptionsValidationException">A <c>Cluster</c> setting is wrong.</exception>
    /// <exception cref="ClusterUnavailableException">No silo answered.</exception>
    public static async Task<ClusterConnection> ConnectAsync(CancellationToken cancellationToken = default, int? gatewayPortOverride = null,
        IReadOnlyDictionary<string, string?>? settings = null)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        if (settings is not null) builder.Configuration.AddInMemoryCollection(settings);
        // A wrong setting is told as itself (the console prints the message), not as an unreachable cluster.
        var options = RecommenderClusterOptions.From(builder.Configuration);
        // A given gateway port means that one silo on this machine, whatever the configuration's mode.
        if (gatewayPortOverride is { } port)
        {
            options.Mode = RecommenderClusterOptions.LocalhostMode;
            options.GatewayPort = port;
        }
        var gatewayPort = options.GatewayPort;
        var redis = options.IsRedis ? options.RedisForDisplay : null;
        try
        {
            builder.UseOrleansClient(client => client.UseMovieRecommenderClient(options));
        }
        catch (OrleansConfigurationException e)
        {
            // An unreadable certificate, told by its key like any other setting.
            throw new InvalidOperationException(e.Message, e);
        }
        var host = builder.Build();
        var reachable = false;
        try
        {
            if (redis is null) await ProbeGatewayAsync(gatewayPort, cancellationToken);
            else await ProbeRedisAsync(options.Redis, cancellationToken);
            reachable = true;
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(15));
            await host.StartAsync(timeout.Token);
            return new ClusterConnection(host);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // A gateway that answers TCP but not this client is most often a TLS mismatch: say which.
            // (Only once the gateway or Redis answered: a cluster that is down is told at once.)
            var tls = reachable ? await DiagnoseTlsAsync(host, options, cancellationToken) : null;
            host.Dispose();
            var secrets = options.SecretValues();
            throw new ClusterUnavailableException(Secrets.Mask(tls ?? (redis is null
                ? $"No silo answered at localhost:{gatewayPort}. Start one with 'dotnet run -c Release --project src/Silo' (or ./run.sh), then try again."
                // Redis itself did not answer: the silos may well be up, but clients find them through it.
                : !reachable
                    ? $"The cluster's store, Redis at {redis}, did not answer ({e.GetBaseException().Message}); clients find the silos through it. Silos already running keep serving: try again once Redis is back (or start it with './scripts/cluster.sh start')."
                    : $"No silo of the Redis cluster at {redis} answered ({e.GetBaseException().Message}). Start one with './scripts/cluster.sh start', then try again."), secrets), e);
        }
    }

    /// <summary>
    /// After a failed start: a TLS handshake of our own with the first gateway, to tell a TLS mismatch from a silo that
    /// is down. Null when no gateway answers TCP or TLS is not the problem.
    /// </summary>
    private static async Task<string?> DiagnoseTlsAsync(IHost host, RecommenderClusterOptions options, CancellationToken cancellationToken)
    {
        try
        {
            System.Net.IPEndPoint gateway;
            if (!options.IsRedis) gateway = new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, options.GatewayPort);
            else
            {
                var provider = host.Services.GetService<Orleans.Messaging.IGatewayListProvider>();
                if (provider is null) return null;
                await provider.InitializeGatewayListProvider().WaitAsync(TimeSpan.FromSeconds(5), cancellationToken);
                var first = (await provider.GetGateways().WaitAsync(TimeSpan.FromSeconds(5), cancellationToken)).FirstOrDefault();
                if (first is null || !System.Net.IPAddress.TryParse(first.Host, out var address)) return null;
                gateway = new System.Net.IPEndPoint(address, first.Port);
            }
            return await TlsProbe.DiagnoseAsync(gateway, options.Tls, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return null;
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

    // Cluster mode: the membership store must answer before Orleans' client can find any gateway.
    private static async Task ProbeRedisAsync(string redis, CancellationToken cancellationToken)
    {
        var endpoint = StackExchange.Redis.ConfigurationOptions.Parse(redis).EndPoints.FirstOrDefault();
        var (host, port) = endpoint switch
        {
            System.Net.DnsEndPoint dns => (dns.Host, dns.Port == 0 ? 6379 : dns.Port),
            System.Net.IPEndPoint ip => (ip.Address.ToString(), ip.Port == 0 ? 6379 : ip.Port),
            _ => ("127.0.0.1", 6379),
        };
        using var tcp = new System.Net.Sockets.TcpClient();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(5));
        await tcp.ConnectAsync(host, port, timeout.Token);
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
