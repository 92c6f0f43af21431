namespace MovieRecommender.Benchmarks.Ratings;

/// <summary>What <c>ratings</c> was asked to do.</summary>
/// <param name="Ratings">Ratings posted and acknowledged in all (the warm-up's included) before the load stops.</param>
/// <param name="Warmup">The first ratings, posted before the measured windows (JIT, Kestrel's connections): in the log, not in the rates.</param>
public sealed record RatingsSettings(
    RatingsStoreKind Store,
    int Ratings,
    int Warmup,
    int Connections,
    int Users,
    int Movies,
    int Dim,
    double WindowSeconds,
    double MaxMinutes,
    string Autocannon,
    string OutRoot,
    bool Build,
    bool KeepStore)
{
    /// <summary>The targets for this store: the rating rate sustained up to the log's size.</summary>
    public RatingsTargets Targets => RatingsTargets.For(Store);
}

/// <summary>The store the silo keeps its grains in: files under its store folder, or Redis (cluster mode).</summary>
public enum RatingsStoreKind
{
    File,
    Redis,
}
