using Microsoft.Extensions.Logging;
using MovieRecommender.Grains.Indexing;
using MovieRecommender.Grains.Search;
using MovieRecommender.Grains.Shards;

namespace MovieRecommender.Grains.Catalogue;

/// <summary>
/// How a candidate shard takes the live catalogue's changes: each put embedded by its version's towers (a known
/// movie keeps its id embedding, a new one is embedded from features alone and takes its live row), each takedown
/// hidden; and how a search answers over the sealed rows and the put ones together.
/// </summary>
public static class LiveChanges
{
    /// <summary>Applies the changes (all of movies this shard holds in its version) to the overlay.</summary>
    public static async Task ApplyAsync(IGrainFactory grains, CandidatePartition partition, LiveOverlay overlay, IReadOnlyList<LiveMovie> changes)
    {
        var towers = grains.GetGrain<IModelTowersGrain>(partition.Model.Version);
        // Embedded in parallel (the towers grain interleaves), installed in order: a later change of a movie wins.
        var vectors = await Task.WhenAll(changes.Select(change => change.TakenDown || change.Description is null
            ? Task.FromResult<float[]?>(null)
            : EmbedAsync(towers, partition, change.Id, change.Description)));
        for (var i = 0; i < changes.Count; i++)
        {
            var change = changes[i];
            var local = partition.LocalRowOf(change.Id);
            if (vectors[i] is not { } vector)
            {
                overlay.TakeDown(change.Id, local);
                continue;
            }
            var row = local is { } known ? partition.FirstRow + known : LiveRows.RowOf(partition.Model.ItemCount, LiveRows.PartitionOf(change.Id), change.Sequence);
            overlay.Put(change.Id, row, vector, change.Description!, local);
        }
    }

    private static async Task<float[]?> EmbedAsync(IModelTowersGrain towers, CandidatePartition partition, string movieId, MovieDescription description)
    {
        if (partition.LocalRowOf(movieId) is not { } local) return await towers.EmbedMovie(description, -1, null, null);
        var sealedRow = partition.VectorAt(local);
        return await towers.EmbedMovie(description, sealedRow.Row, sealedRow.Embedding, partition.DescriptionAt(local));
    }

    /// <summary>
    /// The live catalogue's changes of every partition that fall in this shard of its version, applied to a new
    /// overlay: what a shard does when it comes back (a restart, a crash, a move) before it answers.
    /// </summary>
    public static async Task<LiveOverlay> ReplayAsync(IGrainFactory grains, CandidatePartition partition, ILogger logger)
    {
        var overlay = new LiveOverlay(partition.Model.Dimension);
        var changes = await ILiveCatalogueGrain.ListAllAsync(grains);
        if (changes.Length == 0) return overlay;
        try
        {
            var placements = await grains.GetGrain<IModelTowersGrain>(partition.Model.Version).Place([.. changes.Select(c => c.Id)]);
            var mine = changes.Where((_, i) => placements[i].Shard == partition.Shard).ToArray();
            await ApplyAsync(grains, partition, overlay, mine);
            logger.LogInformation("Shard {Shard} of version {Version} replayed {Changes} live catalogue changes", partition.Shard, partition.Model.Version, mine.Length);
        }
        catch (VersionNotLoadedException)
        {
            // A version published before its towers were pushed: nothing places its movies, so it serves without the changes.
            logger.LogWarning("Version {Version} has no towers grain; shard {Shard} serves without the live catalogue's {Changes} changes",
                partition.Model.Version, partition.Shard, changes.Length);
        }
        return overlay;
    }

    /// <summary>
    /// Builds an index over the overlay's put movies off the grain's turn (through the shard's builder) and installs it
    /// back on the turn that started it: the caller's grain scheduler, as <see cref="ShardIndexSlot"/> does. The kind is
    /// chosen by the put movies' count (<see cref="LiveOverlay.IndexFor"/>), whatever the version's sealed rows use.
    /// </summary>
    public static async Task IndexAsync(IShardIndexBuilder builder, LiveOverlay overlay, int dimension, ILogger logger)
    {
        var (entries, vectors) = overlay.Snapshot();
        try
        {
            var index = await builder.BuildAsync(vectors, dimension, LiveOverlay.IndexFor(entries.Length), CancellationToken.None);
            overlay.Install(entries, index);
            logger.LogInformation("Indexed {Movies} movies put live ({Spec}); {Tail} put since are scanned exactly", entries.Length, index.Spec, overlay.TailCount);
        }
        catch (Exception e)
        {
            overlay.BuildFailed();
            logger.LogWarning(e, "Could not index {Movies} movies put live ({Message}); they are scanned exactly", entries.Length, e.Message);
        }
    }

    /// <summary>The K best of the sealed rows' answer and the put movies' (exact scores both), as one shard's answer.</summary>
    public static ScoredMovie[] Merge(ScoredMovie[] sealedAnswer, LiveOverlay overlay, ShardSearchRequest request) =>
        overlay.Count == 0
            ? sealedAnswer
            : ShardResultMerger.Merge([sealedAnswer, overlay.Search(request.Query, request.K, request.ExcludedRows, request.Filter)], request.K);
}
