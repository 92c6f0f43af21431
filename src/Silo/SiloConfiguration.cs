using Microsoft.Extensions.DependencyInjection;
using MovieRecommender.Grains.Placement;
using MovieRecommender.Grains.Storage;
using Orleans.Hosting;
using Orleans.Runtime.Hosting;
using Orleans.Serialization;

namespace MovieRecommender.Silo;

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

    /// <summary>Everything but the model storage: shard placement and activity propagation.</summary>
    public static ISiloBuilder AddRecommenderGrains(this ISiloBuilder silo)
    {
        silo.Services.AddPlacementDirector<ShardSpreadPlacement, ShardSpreadPlacementDirector>();
        // Links the client's, the user grain's and the shards' spans into one trace.
        return silo.AddActivityPropagation();
    }
}
