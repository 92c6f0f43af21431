using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Hosting;
using Orleans.Runtime;

namespace MovieRecommender.ClusterClient;

/// <summary>The Orleans client of a program outside the cluster, set up from <see cref="RecommenderClusterOptions"/>.</summary>
public static class ClientBuilderExtensions
{
    /// <summary>
    /// Localhost mode: the gateway at localhost:<c>GatewayPort</c>. Redis mode: any silo of the cluster whose
    /// membership lives in <c>Redis</c>, with the silos' service and cluster ids and response timeout.
    /// </summary>
    /// <exception cref="OrleansConfigurationException">A setting is wrong; the message names its key.</exception>
    public static IClientBuilder UseMovieRecommenderClient(this IClientBuilder client, RecommenderClusterOptions options)
    {
        RecommenderClusterOptionsValidator.Validate(options);
        client.Services.AddSingleton(Options.Create(options));
        client.Services.AddSingleton<IConfigurationValidator, RecommenderClusterOptionsValidator>();
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
        }
        else
        {
            client.UseLocalhostClustering(options.GatewayPort);
        }
        return client.AddActivityPropagation();
    }
}
