using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using MovieRecommender.ServiceDefaults;
using Orleans.Configuration;
using Orleans.Hosting;
using Orleans.Runtime;

namespace MovieRecommender.Cluster;

/// <summary>The Orleans client of a program outside the cluster, set up from <see cref="RecommenderClusterOptions"/>.</summary>
public static class ClientBuilderExtensions
{
    /// <summary>
    /// Localhost mode: the gateway at localhost:<c>GatewayPort</c>. Redis mode: any silo of the cluster whose
    /// membership lives in <c>Redis</c>, with the silos' service and cluster ids and response timeout. Either way, with
    /// <c>Cluster:Tls</c> on, every connection to a gateway is TLS with this program's certificate (mutual authentication).
    /// </summary>
    /// <exception cref="OptionsValidationException">A setting is wrong; the message names its key.</exception>
    /// <exception cref="OrleansConfigurationException">The certificate cannot be read; the message names its key.</exception>
    public static IClientBuilder UseMovieRecommenderClient(this IClientBuilder client, RecommenderClusterOptions options)
    {
        client.Services.AddSingleton(Options.Create(ValidatedOptions.Checked(options, new RecommenderClusterOptionsValidator())));
        if (options.IsRedis)
        {
            client.UseRedisClustering(o => o.ConfigurationOptions = options.RedisConfiguration())
                .Configure<ClusterOptions>(o =>
                {
                    o.ServiceId = options.ServiceId;
                    o.ClusterId = options.ClusterId;
                })
                // A dead silo's gateway leaves the list within seconds, not the default minute.
                .Configure<GatewayOptions>(o => o.GatewayListRefreshPeriod = TimeSpan.FromSeconds(2))
                .Configure<ClientMessagingOptions>(o => o.ResponseTimeout = options.ResponseTimeout);
            // A gateway alive for its peers but cut off from this client leaves the list too (a network partition).
            ReachableGatewayListProvider.Decorate(client.Services);
            if (options.TcpUserTimeout > TimeSpan.Zero)
                client.Configure<ClientConnectionOptions>(o => o.ConfigureConnection(b =>
                    b.Use(TcpUserTimeout.Middleware(options.TcpUserTimeout, b.ApplicationServices, "gateway"))));
        }
        else
        {
            client.UseLocalhostClustering(options.GatewayPort);
        }
        if (options.Tls.IsEnabled)
        {
            X509Certificate2 certificate;
            try
            {
                certificate = options.Tls.LoadCertificate();
            }
            catch (InvalidOperationException e)
            {
                throw new OrleansConfigurationException(e.Message, e);
            }
            client.UseTls(certificate, tls => options.Tls.Configure(tls, certificate));
        }
        // A call a stopping silo refused unexecuted (a rolling restart) is sent again, to the grain's new activation.
        client.Services.AddRejectedCallRetry();
        return client.AddActivityPropagation();
    }
}
