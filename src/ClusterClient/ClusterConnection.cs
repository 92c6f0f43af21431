using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Hosting;
using Orleans.Runtime;

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

/// <summary>
/// Our own TLS handshake with a gateway, to explain why an Orleans client could not connect: the gateway wants TLS and
/// this client has none, this client wants TLS and the gateway has none, the gateway's certificate is not trusted
/// here, or the gateway refused this client's certificate.
/// </summary>
internal static class TlsProbe
{
    private const string Key = RecommenderClusterOptions.Section + ":Tls";

    public static async Task<string?> DiagnoseAsync(System.Net.IPEndPoint gateway, RecommenderTlsOptions tls, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(5));
        using var tcp = new System.Net.Sockets.TcpClient();
        await tcp.ConnectAsync(gateway, timeout.Token);
        System.Security.Cryptography.X509Certificates.X509Certificate2? mine = tls.IsEnabled ? tls.LoadCertificate() : null;
        System.Security.Cryptography.X509Certificates.X509Certificate2Collection? anchors = mine is null ? null : tls.LoadTrustAnchors(mine);
        string? serverSubject = null;
        var serverTrusted = false;
        using var ssl = new System.Net.Security.SslStream(tcp.GetStream(), leaveInnerStreamOpen: false, (_, certificate, _, _) =>
        {
            if (certificate is null) return false;
            using var remote = System.Security.Cryptography.X509Certificates.X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
            serverSubject = remote.Subject;
            serverTrusted = anchors is not null && RecommenderTlsOptions.IsTrusted(remote, anchors);
            return mine is null || serverTrusted;
        });
        try
        {
            var options = new System.Net.Security.SslClientAuthenticationOptions { TargetHost = gateway.Address.ToString() };
            if (mine is not null) options.ClientCertificates = [mine];
            await ssl.AuthenticateAsClientAsync(options, timeout.Token);
        }
        catch (Exception e) when (e is System.Security.Authentication.AuthenticationException or IOException)
        {
            if (serverSubject is null)
                return mine is null ? null
                    : $"The gateway at {gateway} does not speak TLS, but {Key} is on here ({tls.CertificatePath}): turn TLS on for the cluster too, or off here.";
            if (mine is null)
                return $"The gateway at {gateway} requires TLS (it presented '{serverSubject}') and this client has no certificate: set {Key}:CertificatePath to a certificate the cluster trusts.";
            if (!serverTrusted)
                return $"The gateway at {gateway} presented '{serverSubject}', which does not chain to {(string.IsNullOrWhiteSpace(tls.CaPath) ? $"this client's certificate ({Key}:CertificatePath)" : $"{Key}:CaPath")}: use the cluster's certificate or CA.";
            return $"The gateway at {gateway} refused this client's certificate '{mine.Subject}' ({tls.CertificatePath}): use a certificate the cluster trusts.";
        }
        if (mine is null)
            return $"The gateway at {gateway} requires TLS (it presented '{serverSubject}') and this client has no certificate: set {Key}:CertificatePath to a certificate the cluster trusts.";
        // TLS 1.3: the server checks our certificate after our side of the handshake; a refusal closes the connection.
        try
        {
            using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            wait.CancelAfter(TimeSpan.FromSeconds(1));
            var buffer = new byte[1];
            if (await ssl.ReadAsync(buffer, wait.Token) == 0)
                return $"The gateway at {gateway} refused this client's certificate '{mine.Subject}' ({tls.CertificatePath}): use a certificate the cluster trusts.";
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return null; // still open: the certificate was accepted, TLS is not the problem
        }
        catch (Exception e) when (e is System.Security.Authentication.AuthenticationException or IOException)
        {
            return $"The gateway at {gateway} refused this client's certificate '{mine.Subject}' ({tls.CertificatePath}): use a certificate the cluster trusts.";
        }
        return null;
    }
}
