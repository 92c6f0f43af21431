using System.Net;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using MovieRecommender.Grains.Placement;
using MovieRecommender.Grains.Storage;
using Orleans.Configuration;
using Orleans.Hosting;
using Orleans.Storage;
using StackExchange.Redis;

namespace MovieRecommender.Hosting;

/// <summary>
/// Chooses how a silo finds the others and where durable state lives, from configuration:
/// <list type="bullet">
/// <item><c>Cluster:Mode=localhost</c> (the default): the embedded default, one silo, localhost clustering,
/// state in files under <c>Storage:Root</c>.</item>
/// <item><c>Cluster:Mode=redis</c>: membership in Redis (<c>Cluster:Redis</c>, a StackExchange.Redis configuration
/// string, default 127.0.0.1:6379) and every grain's durable state (registry, partitions, ratings) in the same
/// Redis, so any silo can reload any grain after another one dies.</item>
/// </list>
/// Ports: <c>Cluster:SiloPort</c>, <c>Cluster:GatewayPort</c>; the address other silos and clients dial:
/// <c>Cluster:AdvertisedAddress</c> (127.0.0.1 unless set); <c>Cluster:ServiceId</c>/<c>Cluster:ClusterId</c>
/// (default movie-recommender). Failure detection can be tuned under <c>Cluster:Membership</c>
/// (Orleans' ClusterMembershipOptions, e.g. <c>Cluster:Membership:ProbeTimeout=00:00:02</c>).
/// </summary>
public static class ClusterMode
{
    public const string Localhost = "localhost";
    public const string Redis = "redis";

    public static string ModeOf(IConfiguration configuration) =>
        (configuration["Cluster:Mode"] ?? Localhost).Trim().ToLowerInvariant();

    public static string RedisOf(IConfiguration configuration) => configuration["Cluster:Redis"] ?? "127.0.0.1:6379";

    /// <summary>Clustering, storage and serving for the configured mode; returns a line describing it.</summary>
    public static string ConfigureRecommenderSilo(this ISiloBuilder silo, IConfiguration configuration)
    {
        var siloPort = configuration.GetValue("Cluster:SiloPort", 11111);
        var gatewayPort = configuration.GetValue("Cluster:GatewayPort", 30000);
        var mode = ModeOf(configuration);
        switch (mode)
        {
            case Localhost:
            {
                // What must survive a restart (the registry, every kept version's partitions) lives here.
                var storeRoot = Path.GetFullPath(configuration.GetValue("Storage:Root", "store")!);
                silo.UseLocalhostClustering(siloPort, gatewayPort).AddRecommenderServing(storeRoot);
                return $"gateway localhost:{gatewayPort}, silo port {siloPort}, model store {storeRoot}";
            }
            case Redis:
            {
                var redis = RedisOf(configuration);
                var address = IPAddress.Parse(configuration["Cluster:AdvertisedAddress"] ?? "127.0.0.1");
                silo.Configure<ClusterOptions>(o =>
                {
                    o.ServiceId = configuration["Cluster:ServiceId"] ?? "movie-recommender";
                    o.ClusterId = configuration["Cluster:ClusterId"] ?? "movie-recommender";
                });
                // Listen where we advertise (loopback stays loopback) unless told to listen on every interface.
                silo.ConfigureEndpoints(address, siloPort, gatewayPort, listenOnAnyHostAddress: configuration.GetValue("Cluster:ListenOnAnyAddress", false));
                silo.UseRedisClustering(o => o.ConfigurationOptions = RedisOptions(redis));
                silo.Configure<ClusterMembershipOptions>(o =>
                {
                    // A crashed silo is declared dead in a few seconds rather than the default ~30: its grains
                    // are unreachable until then. Both survivors of a 3-silo cluster probe it.
                    o.ProbeTimeout = TimeSpan.FromSeconds(1);
                    o.NumMissedProbesLimit = 2;
                    o.NumProbedSilos = 2;
                    o.NumVotesForDeathDeclaration = 1;
                    o.TableRefreshTimeout = TimeSpan.FromSeconds(5);
                    o.IAmAliveTablePublishTimeout = TimeSpan.FromSeconds(10);
                    o.DefunctSiloExpiration = TimeSpan.FromMinutes(10);
                    configuration.GetSection("Cluster:Membership").Bind(o);
                });
                silo.Configure<SiloMessagingOptions>(o => o.ResponseTimeout = configuration.GetValue("Cluster:ResponseTimeout", TimeSpan.FromSeconds(10)));
                silo.Services.AddRedisGrainStorage(ModelStorage.ProviderName, options => options.Configure<Orleans.Serialization.Serializer>((o, serializer) =>
                {
                    o.ConfigurationOptions = RedisOptions(redis);
                    // Orleans' binary serializer: 16 MB float partitions stay 16 MB, not a JSON text of floats.
                    o.GrainStorageSerializer = new OrleansGrainStorageSerializer(serializer);
                    o.DeleteStateOnClear = true;
                }));
                silo.Services.AddSingleton(new ShardRebalancer { Interval = configuration.GetValue("Cluster:RebalanceInterval", TimeSpan.FromSeconds(10)) });
                silo.AddRecommenderGrains();
                return $"cluster mode redis ({redis}), {address} gateway {gatewayPort}, silo port {siloPort}";
            }
            default:
                throw new InvalidOperationException($"Cluster:Mode '{mode}' is not known: use '{Localhost}' (the default) or '{Redis}'.");
        }
    }

    public static ConfigurationOptions RedisOptions(string configuration)
    {
        var options = ConfigurationOptions.Parse(configuration);
        options.AbortOnConnectFail = false;
        return options;
    }
}
