using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Hosting;

namespace MovieRecommender.ClusterClient;

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
    public static async Task<ClusterConnection> ConnectAsync(CancellationToken cancellationToken = default, int? gatewayPortOverride = null,
        IReadOnlyDictionary<string, string?>? settings = null)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        if (settings is not null) builder.Configuration.AddInMemoryCollection(settings);
        var options = RecommenderClusterOptions.From(builder.Configuration);
        // A given gateway port means that one silo on this machine, whatever the configuration's mode.
        if (gatewayPortOverride is { } port)
        {
            options.Mode = RecommenderClusterOptions.LocalhostMode;
            options.GatewayPort = port;
        }
        // A wrong setting is told as itself (the console prints the message), not as an unreachable cluster.
        if (RecommenderClusterOptionsValidator.Problem(options) is { } problem) throw new InvalidOperationException(problem);
        var gatewayPort = options.GatewayPort;
        var redis = options.IsRedis ? options.Redis : null;
        builder.UseOrleansClient(client => client.UseMovieRecommenderClient(options));
        var host = builder.Build();
        try
        {
            if (redis is null) await ProbeGatewayAsync(gatewayPort, cancellationToken);
            else await ProbeRedisAsync(redis, cancellationToken);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(15));
            await host.StartAsync(timeout.Token);
            return new ClusterConnection(host);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            host.Dispose();
            throw new ClusterUnavailableException(redis is null
                ? $"No silo answered at localhost:{gatewayPort}. Start one with 'dotnet run -c Release --project src/Silo' (or ./run.sh), then try again."
                : $"No silo of the Redis cluster at {redis} answered ({e.GetBaseException().Message}). Start one with './scripts/cluster.sh start', then try again.", e);
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
