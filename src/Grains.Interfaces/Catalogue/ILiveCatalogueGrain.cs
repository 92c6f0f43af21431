namespace MovieRecommender.Grains;

/// <summary>
/// One partition of the live catalogue (key: <see cref="Key"/>, movies split by <see cref="LiveRows.PartitionOf"/>): the
/// movies put and taken down while serving, recorded durably before they are applied to the active version's
/// shards, and applied again to every version published later.
/// </summary>
[Version(1)]
public interface ILiveCatalogueGrain : IGrainWithStringKey
{
    static string Key(int partition) => partition.ToString(System.Globalization.CultureInfo.InvariantCulture);

    static ILiveCatalogueGrain For(IGrainFactory grains, string movieId) => grains.GetGrain<ILiveCatalogueGrain>(Key(LiveRows.PartitionOf(movieId)));

    /// <summary>Every partition.</summary>
    static IEnumerable<ILiveCatalogueGrain> All(IGrainFactory grains) =>
        Enumerable.Range(0, LiveRows.Partitions).Select(p => grains.GetGrain<ILiveCatalogueGrain>(Key(p)));

    /// <summary>Every movie the live catalogue holds (the latest change of each), partition by partition, each oldest first.</summary>
    static async Task<LiveMovie[]> ListAllAsync(IGrainFactory grains) => [.. (await Task.WhenAll(All(grains).Select(p => p.List()))).SelectMany(l => l)];

    /// <summary>Adds the movie, or changes a known one's features, or puts a taken-down one back; served by every silo once this returns.</summary>
    Task<LiveMovie> Put(string movieId, MovieDescription description);

    /// <summary>Takes the movie down: in no answer once this returns. False when no version nor the live catalogue knows it.</summary>
    Task<bool> TakeDown(string movieId);

    /// <summary>Every movie of this partition the live catalogue holds (latest change of each), oldest first.</summary>
    [AlwaysInterleave]
    Task<LiveMovie[]> List();

    /// <summary>Applies every change to <paramref name="version"/> (being published), and every later change too.</summary>
    Task ApplyTo(ModelVersionInfo version);

    /// <summary>The partition as a backup keeps it: the latest change of each movie, and the next sequence.</summary>
    Task<LiveCatalogueExport> Export();

    /// <summary>
    /// Records a backup's changes as this partition's log (sequences kept), applying them to nothing (the restore applies
    /// them with <see cref="ApplyTo"/>). Refused (<see cref="InvalidOperationException"/>) unless the partition is empty.
    /// </summary>
    Task Restore(LiveCatalogueExport backup);
}
