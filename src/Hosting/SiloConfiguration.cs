using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using MovieRecommender.Grains.Placement;
using MovieRecommender.Grains.Storage;
using MovieRecommender.Grains.Telemetry;
using MovieRecommender.Index;
using Orleans.Hosting;
using Orleans.Runtime.Hosting;
using Orleans.Serialization;

namespace MovieRecommender.Hosting;

/// <summary>What every recommender silo needs, in production and in the TestingHost cluster alike.</summary>
public static class SiloConfiguration
{
    /// <param name="storeRoot">The folder of the model storage (registry, partitions, ratings) on local disk.</param>
    public static ISiloBuilder AddRecommenderServing(this ISiloBuilder silo, string storeRoot)
    {
        silo.Services.AddGrainStorage(ModelStorage.ProviderName,
            (services, _) => new FileGrainStorage(storeRoot, services.GetRequiredService<Serializer>()));
        return silo.AddRecommenderGrains();
    }

    /// <summary>
    /// Everything but the model storage: shard placement, activity propagation, live served recall
    /// (<c>Telemetry:ServedRecall</c>) and, when the section <c>Index</c> is present, the shard index settings
    /// (e.g. <c>Index:Tier=pq4</c>, <c>Index:Rerank=64</c>; default: the tier follows each shard's size).
    /// </summary>
    public static ISiloBuilder AddRecommenderGrains(this ISiloBuilder silo)
    {
        silo.Services.AddPlacementDirector<ShardSpreadPlacement, ShardSpreadPlacementDirector>();
        silo.Services.AddOptions<ServedRecallOptions>().Bind(silo.Configuration.GetSection(ServedRecallOptions.Section))
            .Validate(o => o.Share is >= 0 and <= 1 && o.MaxConcurrentChecks >= 1,
                "Telemetry:ServedRecall:Share must be between 0 and 1 and Telemetry:ServedRecall:MaxConcurrentChecks at least 1.")
            .ValidateOnStart();
        silo.Services.AddSingleton<ServedRecallMonitor>();
        if (silo.Configuration.GetSection("Index").Exists())
            silo.Services.AddSingleton(silo.Configuration.GetSection("Index").Get<IndexOptions>() ?? IndexOptions.Default);
        // Links the client's, the user grain's and the shards' spans into one trace.
        return silo.AddActivityPropagation();
    }
}
