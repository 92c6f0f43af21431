using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using MovieRecommender.Cluster;
using MovieRecommender.Grains.Placement;
using MovieRecommender.Grains.Storage;
using MovieRecommender.ServiceDefaults;
using Orleans.Configuration;
using Orleans.Hosting;
using Orleans.Runtime;
using Orleans.Storage;

namespace MovieRecommender.Silo.Hosting;

/// <summary>
/// Clustering, membership, TLS and the model storage as section <c>Cluster</c> (<see cref="RecommenderClusterOptions"/>) says:
/// <list type="bullet">
/// <item><c>Cluster:Mode=localhost</c> (the default): one silo, localhost clustering on <c>Cluster:SiloPort</c>
/// and <c>Cluster:GatewayPort</c>, state in files under <c>Storage:Root</c> (<see cref="RecommenderStorageOptions"/>).</item>
/// <item><c>Cluster:Mode=redis</c>: membership in the Redis at <c>Cluster:Redis</c>, and every grain's durable
/// state (registry, partitions, ratings) in the same Redis, so any silo can reload any grain after another one
/// dies; shards move to a silo that joins (<c>Cluster:RebalanceInterval</c>).</item>
/// </list>
/// </summary>
public static class ClusterModeSiloBuilderExtensions
{
    /// <summary>How long a silo's gateway keeps a client whose connection ended (Orleans' default: one minute).</summary>
    public static readonly TimeSpan ClientDropTimeout = TimeSpan.FromSeconds(2);

    /// <summary>How long Orleans' system calls between silos may take in cluster mode (Orleans' default: 30 s).</summary>
    public static readonly TimeSpan SystemResponseTimeout = TimeSpan.FromSeconds(5);

    /// <exception cref="OptionsValidationException">A <c>Storage</c> setting is wrong; the message names its key.</exception>
    /// <exception cref="OrleansConfigurationException">The TLS certificate or CA file cannot be read; the message names its key.</exception>
    public static ISiloBuilder UseClusterMode(this ISiloBuilder silo, RecommenderClusterOptions cluster)
    {
        silo.Services.AddSingleton(Options.Create(cluster));
        if (cluster.Tls.IsEnabled) silo.UseRecommenderTls(cluster.Tls);

        if (!cluster.IsRedis)
        {
            var storage = ValidatedOptions.Read(silo.Configuration, RecommenderStorageOptions.Section, new RecommenderStorageOptionsValidator());
            // What must survive a restart (the registry, every kept version's partitions) lives here.
            var storeRoot = Path.GetFullPath(storage.Root);
            return silo.UseLocalhostClustering(cluster.SiloPort, cluster.GatewayPort)
                .AddFileGrainStorage(ModelStorage.ProviderName, o => o.RootDirectory = storeRoot)
                .AddFileGrainStorage(ModelStorage.UserLogProviderName, o => (o.RootDirectory, o.FlushToDisk) = (storeRoot, storage.FlushUserLog));
        }

        silo.Configure<ClusterOptions>(o =>
        {
            o.ServiceId = cluster.ServiceId;
            o.ClusterId = cluster.ClusterId;
        });
        // Listen where we advertise (loopback stays loopback) unless told to listen on every interface.
        silo.ConfigureEndpoints(cluster.AdvertisedIPAddress(), cluster.SiloPort, cluster.GatewayPort, listenOnAnyHostAddress: cluster.ListenOnAnyAddress);
        silo.UseRedisClustering(o => o.ConfigurationOptions = cluster.RedisConfiguration());
        silo.Services.AddOptions<ClusterMembershipOptions>()
            .Configure(o =>
            {
                // A crashed silo is declared dead in a few seconds rather than the default ~30: its grains
                // are unreachable until then. Both survivors of a 3-silo cluster probe it, and both must vote: one
                // silo cut off from its peers can then never evict them (Orleans asks at most a majority of the
                // active silos, so two silos need one vote).
                o.ProbeTimeout = TimeSpan.FromSeconds(1);
                o.NumMissedProbesLimit = 2;
                o.NumProbedSilos = 2;
                o.NumVotesForDeathDeclaration = 2;
                // A silo cut off from its peers (not from Redis) learns it was declared dead from the table alone:
                // until it reads it, its shards may answer beside their new activations, which therefore wait two
                // refreshes before they answer (TakeoverFence). One read of a small hash a second.
                o.TableRefreshTimeout = TimeSpan.FromSeconds(1);
                o.IAmAliveTablePublishTimeout = TimeSpan.FromSeconds(10);
                o.DefunctSiloExpiration = TimeSpan.FromMinutes(10);
            })
            .Bind(silo.Configuration.GetSection(RecommenderClusterOptions.Section).GetSection("Membership"));
        silo.Configure<SiloMessagingOptions>(o =>
        {
            o.ResponseTimeout = cluster.ResponseTimeout;
            // A client whose gateway connection ended is forgotten within 2-4 s, not Orleans' 1-2 minutes: until
            // then this silo hands the answers of its grains to the client to that dead connection, even for
            // requests that came in through another gateway (scripts/partition.sh, gateway-client). A client that
            // is alive reconnects at its next call.
            o.ClientDropTimeout = ClientDropTimeout;
            // Orleans' own calls between silos (the grain directory's lookups above all) give up after 5 s, not 30:
            // a lookup sent to a silo just before a partition swallowed it held the placement of its grain, and every
            // request for that grain, for the full 30 s (scripts/partition.sh, isolate-silo: 253-334 failed requests).
            o.SystemResponseTimeout = SystemResponseTimeout;
        });
        // A connection whose packets a partition drops ends in seconds, not after the kernel's minutes of retries:
        // above all the gateway's side of a client's connection, to which the silo otherwise keeps routing answers.
        if (cluster.TcpUserTimeout > TimeSpan.Zero)
            silo.Configure<SiloConnectionOptions>(o =>
            {
                Action<IConnectionBuilder> timeout(string what) => b => b.Use(TcpUserTimeout.Middleware(cluster.TcpUserTimeout, b.ApplicationServices, what));
                o.ConfigureGatewayInboundConnection(timeout("gateway"));
                o.ConfigureSiloInboundConnection(timeout("silo-to-silo"));
                o.ConfigureSiloOutboundConnection(timeout("silo-to-silo"));
            });
        // The user log in the same Redis, under a name of its own (ModelStorage.UserLogProviderName).
        foreach (var provider in new[] { ModelStorage.ProviderName, ModelStorage.UserLogProviderName })
            silo.Services.AddRedisGrainStorage(provider, options => options.Configure<Orleans.Serialization.Serializer>((o, serializer) =>
            {
                o.ConfigurationOptions = cluster.RedisConfiguration();
                // Orleans' binary serializer: 16 MB float partitions stay 16 MB, not a JSON text of floats.
                o.GrainStorageSerializer = new OrleansGrainStorageSerializer(serializer);
                o.DeleteStateOnClear = true;
            }));
        silo.Services.Configure<ShardRebalanceOptions>(o =>
        {
            o.Enabled = true;
            o.Interval = cluster.RebalanceInterval;
        });
        return silo;
    }

    /// <summary>
    /// TLS on the silo-to-silo and gateway connections (<c>Cluster:Tls</c>): this silo's certificate, and the peer's
    /// required and checked against the trust anchors, both ways.
    /// </summary>
    /// <exception cref="OrleansConfigurationException">The certificate or CA file cannot be read; the message names the key.</exception>
    public static ISiloBuilder UseRecommenderTls(this ISiloBuilder silo, RecommenderTlsOptions tls)
    {
        try
        {
            var certificate = tls.LoadCertificate();
            // Load the anchors now, so an unreadable CA file stops the silo before it starts.
            tls.LoadTrustAnchors(certificate).Clear();
            return silo.UseTls(certificate, o => tls.Configure(o, certificate));
        }
        catch (InvalidOperationException e)
        {
            throw new OrleansConfigurationException(e.Message, e);
        }
    }
}
