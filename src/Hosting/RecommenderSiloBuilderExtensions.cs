using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using MovieRecommender.ClusterClient;
using MovieRecommender.Grains.Placement;
using MovieRecommender.Grains.Registry;
using MovieRecommender.Grains.Search;
using MovieRecommender.Grains.Storage;
using MovieRecommender.Grains.Telemetry;
using MovieRecommender.Grains.Indexing;
using MovieRecommender.Index;
using Orleans.Configuration;
using Orleans.Hosting;
using Orleans.Runtime;
using Orleans.Storage;

namespace MovieRecommender.Hosting;

/// <summary>
/// A recommender silo, as builder extensions: <see cref="AddMovieRecommender"/> for a silo configured from its
/// configuration (the Silo program), <see cref="AddMovieRecommenderServing"/> and
/// <see cref="AddMovieRecommenderGrains"/> for silos whose clustering is set up elsewhere (TestingHost clusters).
/// </summary>
public static class RecommenderSiloBuilderExtensions
{
    /// <summary>
    /// Clustering, storage and serving as <see cref="RecommenderClusterOptions"/> (section <c>Cluster</c>) says:
    /// <list type="bullet">
    /// <item><c>Cluster:Mode=localhost</c> (the default): one silo, localhost clustering on <c>Cluster:SiloPort</c>
    /// and <c>Cluster:GatewayPort</c>, state in files under <c>Storage:Root</c> (<see cref="RecommenderStorageOptions"/>).</item>
    /// <item><c>Cluster:Mode=redis</c>: membership in the Redis at <c>Cluster:Redis</c>, and every grain's durable
    /// state (registry, partitions, ratings) in the same Redis, so any silo can reload any grain after another one
    /// dies; shards move to a silo that joins (<c>Cluster:RebalanceInterval</c>).</item>
    /// </list>
    /// The settings are checked here, before anything starts.
    /// </summary>
    /// <exception cref="OrleansConfigurationException">A setting is wrong; the message names its key and what it expects.</exception>
    public static ISiloBuilder AddMovieRecommender(this ISiloBuilder silo)
    {
        var clusterSection = silo.Configuration.GetSection(RecommenderClusterOptions.Section);
        var cluster = Bind<RecommenderClusterOptions>(clusterSection);
        RecommenderClusterOptionsValidator.Validate(cluster);
        silo.Services.AddOptions<RecommenderClusterOptions>().Bind(clusterSection);
        silo.Services.AddSingleton<IConfigurationValidator, RecommenderClusterOptionsValidator>();
        if (cluster.Tls.IsEnabled) silo.UseRecommenderTls(cluster.Tls);

        if (!cluster.IsRedis)
        {
            var storage = Bind<RecommenderStorageOptions>(silo.Configuration.GetSection(RecommenderStorageOptions.Section));
            if (string.IsNullOrWhiteSpace(storage.Root))
                throw new OrleansConfigurationException($"{RecommenderStorageOptions.Section}:Root is empty: expected the folder of the model store (default 'store').");
            // What must survive a restart (the registry, every kept version's partitions) lives here.
            var storeRoot = Path.GetFullPath(storage.Root);
            return silo.UseLocalhostClustering(cluster.SiloPort, cluster.GatewayPort).AddMovieRecommenderServing(storeRoot);
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
                // are unreachable until then. Both survivors of a 3-silo cluster probe it.
                o.ProbeTimeout = TimeSpan.FromSeconds(1);
                o.NumMissedProbesLimit = 2;
                o.NumProbedSilos = 2;
                o.NumVotesForDeathDeclaration = 1;
                o.TableRefreshTimeout = TimeSpan.FromSeconds(5);
                o.IAmAliveTablePublishTimeout = TimeSpan.FromSeconds(10);
                o.DefunctSiloExpiration = TimeSpan.FromMinutes(10);
            })
            .Bind(clusterSection.GetSection("Membership"));
        silo.Configure<SiloMessagingOptions>(o => o.ResponseTimeout = cluster.ResponseTimeout);
        silo.Services.AddRedisGrainStorage(ModelStorage.ProviderName, options => options.Configure<Orleans.Serialization.Serializer>((o, serializer) =>
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
        return silo.AddMovieRecommenderGrains();
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

    /// <summary>The grains with their model storage in files under <paramref name="storeRoot"/> (registry, partitions, ratings).</summary>
    public static ISiloBuilder AddMovieRecommenderServing(this ISiloBuilder silo, string storeRoot) =>
        silo.AddFileGrainStorage(ModelStorage.ProviderName, o => o.RootDirectory = storeRoot).AddMovieRecommenderGrains();

    /// <summary>
    /// Everything but clustering and the model storage: shard placement, activity propagation, and the grains'
    /// options: live served recall (<c>Telemetry:ServedRecall</c>), the shard index (<c>Index</c>, e.g.
    /// <c>Index:Tier=pq4</c>, <c>Index:Rerank=64</c>; default: the tier follows each shard's size), the fan-out's
    /// patience (<c>Serving:FanOut</c>), each silo's view of the active model (<c>Serving:Registry</c>) and shard
    /// rebalancing (off unless cluster mode turns it on).
    /// </summary>
    public static ISiloBuilder AddMovieRecommenderGrains(this ISiloBuilder silo)
    {
        silo.Services.AddPlacementDirector<ShardSpreadPlacement, ShardSpreadPlacementDirector>();
        silo.Services.AddOptions<ServedRecallOptions>().Bind(silo.Configuration.GetSection(ServedRecallOptions.Section))
            .Validate(o => o.Share is >= 0 and <= 1 && o.MaxConcurrentChecks >= 1,
                "Telemetry:ServedRecall:Share must be between 0 and 1 and Telemetry:ServedRecall:MaxConcurrentChecks at least 1.")
            .ValidateOnStart();
        silo.Services.AddSingleton<ServedRecallMonitor>();

        var indexSection = silo.Configuration.GetSection("Index");
        Bind<IndexOptions>(indexSection); // a value the index cannot take fails here, not at a shard's first activation
        silo.Services.AddOptions<IndexOptions>().Bind(indexSection);
        silo.Services.AddSingleton<IShardIndexBuilder, ShardIndexBuilder>();

        silo.Services.AddOptions<ShardFanOutOptions>().Bind(silo.Configuration.GetSection(ShardFanOutOptions.Section))
            .Validate(o => o.ShardCallTimeout > TimeSpan.Zero && o.RetryDelay >= TimeSpan.Zero,
                $"{ShardFanOutOptions.Section}:ShardCallTimeout must be positive and {ShardFanOutOptions.Section}:RetryDelay not negative.")
            .ValidateOnStart();
        silo.Services.AddOptions<ActiveModelViewOptions>().Bind(silo.Configuration.GetSection(ActiveModelViewOptions.Section))
            .Validate(o => o.Problem() is null, $"{ActiveModelViewOptions.Section}:RefreshPeriod and {ActiveModelViewOptions.Section}:NotificationTimeout must be positive.")
            .ValidateOnStart();
        // The active model, per silo: read by user grains, told of changes by the registry, refreshed periodically.
        silo.Services.AddSingleton<ActiveModelView>();
        silo.Services.AddSingleton<ActiveModelBroadcast>();
        silo.Services.AddSingleton<ActiveModelRefresher>();
        silo.Services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(sp => sp.GetRequiredService<ActiveModelRefresher>());
        silo.AddGrainService<ActiveModelNotifications>();

        silo.Services.AddOptions<ShardRebalanceOptions>()
            .Validate(o => !o.Enabled || o.Interval > TimeSpan.Zero, "The shard rebalance interval (Cluster:RebalanceInterval) must be positive.")
            .ValidateOnStart();

        // Links the client's, the user grain's and the shards' spans into one trace.
        return silo.AddActivityPropagation();
    }

    /// <summary>
    /// These shard index settings rather than the section <c>Index</c>'s (tests and benchmarks that compare tiers).
    /// <see cref="IndexOptions"/> is the index library's immutable record, so it is given whole.
    /// </summary>
    public static ISiloBuilder UseIndexOptions(this ISiloBuilder silo, IndexOptions options)
    {
        silo.Services.AddSingleton(Options.Create(options));
        return silo;
    }

    /// <summary>
    /// What the silo serves and where, for its "Silo ready" line: the gateway, silo port and model store, or the
    /// Redis cluster it joined; from the options it was started with.
    /// </summary>
    public static string Describe(IServiceProvider services)
    {
        var cluster = services.GetRequiredService<IOptions<RecommenderClusterOptions>>().Value;
        if (cluster.IsRedis)
            return $"cluster mode redis ({cluster.RedisForDisplay}), {cluster.AdvertisedIPAddress()} gateway {cluster.GatewayPort}, silo port {cluster.SiloPort}{TlsDescription(cluster.Tls)}";
        var store = services.GetRequiredService<IOptionsMonitor<FileGrainStorageOptions>>().Get(ModelStorage.ProviderName).RootDirectory;
        return $"gateway localhost:{cluster.GatewayPort}, silo port {cluster.SiloPort}, model store {store}{TlsDescription(cluster.Tls)}";
    }

    // The certificate's file, never its password.
    private static string TlsDescription(RecommenderTlsOptions tls) =>
        tls.IsEnabled ? $", TLS with {tls.CertificatePath}{(string.IsNullOrWhiteSpace(tls.CaPath) ? "" : $" (peers chain to {tls.CaPath})")}" : "";

    /// <summary>A section bound to its options class; a value of the wrong type is told by its key.</summary>
    private static T Bind<T>(IConfigurationSection section) where T : new()
    {
        try
        {
            return section.Get<T>() ?? new T();
        }
        catch (InvalidOperationException e)
        {
            // The binder's message names the key and the type it expected, e.g. "... at 'Cluster:SiloPort' to type 'System.Int32'".
            throw new OrleansConfigurationException(e.Message, e);
        }
    }
}
