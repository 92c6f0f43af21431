using MovieRecommender.Index;

namespace MovieRecommender.Grains.Shards;

/// <summary>
/// The live catalogue's changes on top of one shard's sealed rows: movies put since the version was published (new
/// ones, and known ones whose features changed, which hide their sealed row), and known movies taken down (hidden).
/// The index over the sealed rows is never rebuilt for a change: a search skips the hidden rows there and scans the
/// put movies exactly, and the two answers merge by exact score. A takedown reaches every search at once, and a
/// put movie is found with recall 1. Plain data, one grain's turns use it.
/// </summary>
public sealed class LiveOverlay(int dimension)
{
    private readonly Dictionary<string, int> _slotOf = new(StringComparer.Ordinal);
    private readonly List<Entry> _entries = [];
    private float[] _vectors = [];
    // Local rows of the sealed partition a search must skip: taken down, or replaced by a put.
    private readonly HashSet<int> _hiddenSealed = [];
    private int[]? _hiddenSorted;

    private sealed record Entry(string Id, int Row, MovieDescription Description, int? SealedLocal);

    /// <summary>How many movies were put (and are not taken down).</summary>
    public int Count => _entries.Count;

    /// <summary>The sealed rows (local ids, ascending) a search of the index skips.</summary>
    public int[] HiddenSealedRows => _hiddenSorted ??= [.. _hiddenSealed.Order()];

    /// <summary>Serves <paramref name="vector"/> for the movie from now on, at global row <paramref name="row"/>; a known movie's sealed row (<paramref name="sealedLocal"/>) is hidden.</summary>
    public void Put(string id, int row, float[] vector, MovieDescription description, int? sealedLocal)
    {
        if (vector.Length != dimension) throw new ArgumentException($"Movie '{id}': a row of {vector.Length} values, the version's dimension is {dimension}.");
        VectorGuard.CheckRows(vector, dimension, nameof(vector));
        if (sealedLocal is { } local) Hide(local);
        var entry = new Entry(id, row, description, sealedLocal);
        if (_slotOf.TryGetValue(id, out var slot))
        {
            _entries[slot] = entry;
        }
        else
        {
            slot = _entries.Count;
            _entries.Add(entry);
            _slotOf[id] = slot;
            if (_vectors.Length < _entries.Count * dimension) Array.Resize(ref _vectors, Math.Max(16, _entries.Count * 2) * dimension);
        }
        vector.CopyTo(_vectors, slot * dimension);
    }

    /// <summary>Takes the movie out of every answer: its put row is dropped, its sealed row (if any) hidden. False when it held neither.</summary>
    public bool TakeDown(string id, int? sealedLocal)
    {
        var found = false;
        if (_slotOf.Remove(id, out var slot))
        {
            // Swap the last entry into the freed slot: the scan stays dense.
            var last = _entries.Count - 1;
            if (slot != last)
            {
                _entries[slot] = _entries[last];
                _slotOf[_entries[slot].Id] = slot;
                Array.Copy(_vectors, last * dimension, _vectors, slot * dimension, dimension);
            }
            _entries.RemoveAt(last);
            found = true;
        }
        if (sealedLocal is { } local) found |= Hide(local);
        return found;
    }

    /// <summary>Whether the sealed row is hidden (taken down, or replaced by a put).</summary>
    public bool Hides(int sealedLocal) => _hiddenSealed.Contains(sealedLocal);

    /// <summary>The put movie, or null.</summary>
    public MovieVector? Find(string id) =>
        _slotOf.TryGetValue(id, out var slot)
            ? new MovieVector(_entries[slot].Row, id, _entries[slot].Description.Title, _vectors.AsSpan(slot * dimension, dimension).ToArray())
            : null;

    /// <summary>The put movie's description, or null.</summary>
    public MovieDescription? Describe(string id) => _slotOf.TryGetValue(id, out var slot) ? _entries[slot].Description : null;

    public IEnumerable<string> Genres() => _entries.SelectMany(e => e.Description.Genres);

    /// <summary>The K best put movies by exact dot product, skipping <paramref name="excludedRows"/> (global, ascending) and what the filter rejects.</summary>
    /// <remarks>A bounded heap of (score, slot): only the K kept become answers, so a search over many put movies allocates little.</remarks>
    public ScoredMovie[] Search(ReadOnlySpan<float> query, int k, int[] excludedRows, MovieFilter? filter)
    {
        if (_entries.Count == 0 || k < 1) return [];
        // The heap's root is the worst kept: the lowest score, then the highest row (ties broken by row, as everywhere).
        var heap = new PriorityQueue<int, (float Score, int Row)>(k + 1, TopKOrder.WorstFirst.Instance);
        var filtered = filter is { IsEmpty: false };
        for (var slot = 0; slot < _entries.Count; slot++)
        {
            var entry = _entries[slot];
            if (excludedRows.Length > 0 && Array.BinarySearch(excludedRows, entry.Row) >= 0) continue;
            if (filtered && !filter!.Matches(entry.Description.Genres, entry.Description.Year)) continue;
            var score = FloatDot.Dot(query, _vectors.AsSpan(slot * dimension, dimension));
            if (heap.Count < k) heap.Enqueue(slot, (score, entry.Row));
            else if (heap.TryPeek(out _, out var worst) && TopKOrder.IsBetter(score, entry.Row, worst.Score, worst.Row))
                heap.EnqueueDequeue(slot, (score, entry.Row));
        }
        var result = new ScoredMovie[heap.Count];
        for (var i = result.Length - 1; i >= 0; i--)
        {
            heap.TryDequeue(out var slot, out var key);
            var entry = _entries[slot];
            result[i] = new ScoredMovie(entry.Row, entry.Id, entry.Description.Title, key.Score);
        }
        return result;
    }

    private bool Hide(int local)
    {
        if (!_hiddenSealed.Add(local)) return false;
        _hiddenSorted = null;
        return true;
    }
}
