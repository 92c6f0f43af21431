using MovieRecommender.Index;

namespace MovieRecommender.Grains.Shards;

/// <summary>
/// An index over the movies put live at one moment (<see cref="LiveOverlay.Snapshot"/>): entry i is index id i. An
/// entry changed since (put again, or taken down) is hidden, and the overlay's tail serves its new row instead.
/// </summary>
public sealed class LiveSegment(LiveOverlay.Entry[] entries, IVectorIndex index)
{
    private readonly Dictionary<string, int> _idOf = entries.Select((e, i) => (e.Id, i)).ToDictionary(p => p.Id, p => p.i, StringComparer.Ordinal);
    private readonly Dictionary<int, int> _idOfRow = entries.Select((e, i) => (e.Row, i)).ToDictionary(p => p.Row, p => p.i);
    private readonly HashSet<int> _hidden = [];

    public int Count => entries.Length;

    public void Hide(string movieId)
    {
        if (_idOf.TryGetValue(movieId, out var id)) _hidden.Add(id);
    }

    /// <summary>The K best entries, exact scores, skipping hidden ones, the excluded global rows and what the filter rejects.</summary>
    public ScoredMovie[] Search(ReadOnlySpan<float> query, int k, int[] excludedRows, MovieFilter? filter)
    {
        var skipped = new List<int>(_hidden);
        foreach (var row in excludedRows)
            if (_idOfRow.TryGetValue(row, out var id)) skipped.Add(id);
        if (filter is { IsEmpty: false })
            for (var i = 0; i < entries.Length; i++)
                if (!filter.Matches(entries[i].Description.Genres, entries[i].Description.Year)) skipped.Add(i);
        skipped.Sort();
        var hits = index.Search(query, k, skipped.Distinct().ToArray());
        var result = new ScoredMovie[hits.Length];
        for (var i = 0; i < hits.Length; i++)
        {
            var entry = entries[hits[i].Id];
            result[i] = new ScoredMovie(entry.Row, entry.Id, entry.Description.Title, hits[i].Score);
        }
        return result;
    }
}
