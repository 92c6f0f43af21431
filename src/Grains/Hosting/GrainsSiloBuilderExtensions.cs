using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using MovieRecommender.Grains.Indexing;
using MovieRecommender.Grains.Placement;
using MovieRecommender.Grains.Registry;
using MovieRecommender.Grains.Search;
using MovieRecommender.Grains.Storage;
using MovieRecommender.Grains.Telemetry;
using MovieRecommender.Index;
using MovieRecommender.ServiceDefaults;
using Orleans.Configuration;
using Orleans.Hosting;
using Orleans.Runtime;

namespace MovieRecommender.Grains.Hosting;

/// <summary>
/// The grains as a silo builder extension, the way Orleans' provider packages ship theirs: what every silo of the
/// product adds, whatever its clustering and storage (the Silo program sets those up by <c>Cluster:Mode</c>; the
/// TestingHost clusters use <see cref="AddMovieRecommenderServing"/>).
/// </summary>
public static class GrainsSiloBuilderExtensions
{
    /// <summary>The grains with their model storage and user log in files under <paramref name="storeRoot"/> (registry, partitions, ratings).</summary>
    public static ISiloBuilder AddMovieRecommenderServing(this ISiloBuilder silo, string storeRoot, bool flushUserLog = false) =>
        silo.AddFileGrainStorage(ModelStorage.ProviderName, o => o.RootDirectory = storeRoot)
            .AddFileGrainStorage(ModelStorage.UserLogProviderName, o => (o.RootDirectory, o.FlushToDisk) = (storeRoot, flushUserLog))
            .AddMovieRecommenderGrains();

    /// <summary>
    /// Everything but clustering and the model storage: shard placement, activity propagation, and the grains'
    /// options, each bound from its section and checked when the silo starts: live served recall
    /// (<c>Telemetry:ServedRecall</c>), the shard index (<c>Index</c>, e.g. <c>Index:Kind=pq4</c>,
    /// <c>Index:Rerank=64</c>; default: the kind follows each shard's size), the fan-out's patience
    /// (<c>Serving:FanOut</c>), how long an idle user grain stays (<c>Serving:Users</c>), each silo's view of the active model (<c>Serving:Registry</c>) and shard rebalancing
    /// (off unless cluster mode turns it on).
    /// </summary>
    public static ISiloBuilder AddMovieRecommenderGrains(this ISiloBuilder silo)
    {
        var configuration = silo.Configuration;
        var services = silo.Services;
        RecommenderTelemetry.EnsureCreated();
        // Whether this silo is draining, and its shard activations (the graceful stop moves them away).
        services.TryAddSingleton<SiloDrain>();
        // A shard taking over from a silo declared dead waits until that silo has stopped answering.
        services.AddSingleton<TakeoverFence>();
        services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(sp => sp.GetRequiredService<TakeoverFence>());
        services.AddPlacementDirector<ShardSpreadPlacement, ShardSpreadPlacementDirector>();
        // Grain interface versions (docs/cluster.md, "Rolling restarts and upgrades"): a call may go to an activation of
        // its interface's version or a later one; a new activation may be placed on any silo that has a compatible
        // version, so the shard spread keeps using every silo while builds are mixed.
        silo.Configure<GrainVersioningOptions>(o =>
        {
            o.DefaultCompatibilityStrategy = nameof(Orleans.Versions.Compatibility.BackwardCompatible);
            o.DefaultVersionSelectorStrategy = nameof(Orleans.Versions.Selector.AllCompatibleVersions);
        });
        services.AddValidatedOptions<ServedRecallOptions, ServedRecallOptionsValidator>(configuration, ServedRecallOptions.Section);
        services.AddSingleton<ServedRecallMonitor>();
        // What the grains' log lines may say of a user (a host built by HostTelemetry has registered it already).
        services.AddUserIdRedaction(TelemetryOptions.From(configuration));

        services.AddValidatedOptions<IndexOptions, IndexOptionsValidator>(configuration, IndexOptionsValidator.Section);
        services.AddSingleton<IShardIndexBuilder, ShardIndexBuilder>();
        services.AddSingleton<MemoryAfterLoad>();
        services.AddValidatedOptions<ShardFanOutOptions, ShardFanOutOptionsValidator>(configuration, ShardFanOutOptions.Section);
        services.AddValidatedOptions<UserGrainOptions, UserGrainOptionsValidator>(configuration, UserGrainOptions.Section);
        services.AddOptions<GrainCollectionOptions>().Configure<IOptions<UserGrainOptions>>((collection, users) =>
            collection.ClassSpecificCollectionAge[typeof(UserGrain).FullName!] = users.Value.CollectionAge);

        // The active model, per silo: read by user grains and the HTTP API, told of changes by the registry, refreshed periodically.
        services.AddValidatedOptions<ActiveModelViewOptions, ActiveModelViewOptionsValidator>(configuration, ActiveModelViewOptions.Section);
        services.AddSingleton<ActiveModelView>();
        services.AddSingleton<ActiveModelBroadcast>();
        services.AddSingleton<ActiveModelRefresher>();
        services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(sp => sp.GetRequiredService<ActiveModelRefresher>());
        silo.AddGrainService<ActiveModelNotifications>();

        services.AddValidatedOptions<ShardAnswerLogOptions, ShardAnswerLogOptionsValidator>(configuration, ShardAnswerLogOptions.Section);
        services.AddOptions<ShardRebalanceOptions>().ValidateOnStart();
        services.AddSingleton<IValidateOptions<ShardRebalanceOptions>, ShardRebalanceOptionsValidator>();

        // Links the client's, the user grain's and the shards' spans into one trace.
        return silo.AddActivityPropagation();
    }

    /// <summary>
    /// These shard index settings rather than the section <c>Index</c>'s (tests and benchmarks that compare kinds).
    /// <see cref="IndexOptions"/> is the index library's immutable record, so it is given whole.
    /// </summary>
    public static ISiloBuilder UseIndexOptions(this ISiloBuilder silo, IndexOptions options)
    {
        silo.Services.AddSingleton(Options.Create(options));
        return silo;
    }
}
