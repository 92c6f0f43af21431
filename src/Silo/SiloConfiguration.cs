using Orleans.Hosting;

namespace MovieRecommender.Silo;

/// <summary>What every recommender silo needs, in production and in the TestingHost cluster alike.</summary>
public static class SiloConfiguration
{
    public static ISiloBuilder AddRecommenderServing(this ISiloBuilder silo) =>
        // Links the client's, the user grain's and the shards' spans into one trace.
        silo.AddActivityPropagation();
}
