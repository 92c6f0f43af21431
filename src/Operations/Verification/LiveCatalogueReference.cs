using MovieRecommender.Artifacts;
using MovieRecommender.Grains;

namespace MovieRecommender.Operations.Verification;

/// <summary>
/// What the cluster should serve beside an artifact: the live catalogue's changes read from the cluster, embedded
/// independently by the artifact's own towers (as the shards embed them), for <see cref="ExactRecommender"/>.
/// </summary>
public static class LiveCatalogueReference
{
    public static async Task<(LiveCatalogueTruth Truth, int Changes)> ReadAsync(IGrainFactory grains, ModelArtifact artifact)
    {
        var changes = await ILiveCatalogueGrain.ListAllAsync(grains);
        return (FromChanges(artifact, changes), changes.Length);
    }

    /// <summary>The truth of these changes (the latest of each movie) beside the artifact, each put movie embedded by the artifact's towers.</summary>
    public static LiveCatalogueTruth FromChanges(ModelArtifact artifact, IReadOnlyCollection<LiveMovie> changes)
    {
        if (changes.Count == 0) return LiveCatalogueTruth.None;
        var rowOf = artifact.Items.Select((item, row) => (item.Id, row)).ToDictionary(p => p.Id, p => p.row, StringComparer.Ordinal);
        var hidden = new HashSet<int>();
        var rows = new List<(int, float[])>();
        var changed = new Dictionary<string, (int, float[])?>(StringComparer.Ordinal);
        foreach (var change in changes)
        {
            int? known = rowOf.TryGetValue(change.Id, out var r) ? r : null;
            if (known is { } k) hidden.Add(k);
            changed[change.Id] = null;
            if (change.TakenDown || change.Description is not { } d || artifact.Towers is not { } towers) continue;
            (int, float[]) served;
            if (known is { } row)
            {
                var before = artifact.Items[row];
                served = (row, towers.ReembedMovie(row, artifact.ItemEmbeddings.Row(row), (before.Title, before.Genres, before.Year), (d.Title, d.Genres, d.Year)));
            }
            else
            {
                served = (LiveRows.RowOf(artifact.Items.Count, LiveRows.PartitionOf(change.Id), change.Sequence), towers.EmbedNewMovie(d.Title, d.Genres, d.Year));
            }
            rows.Add(served);
            changed[change.Id] = served;
        }
        return new LiveCatalogueTruth(hidden, rows, changed);
    }
}
