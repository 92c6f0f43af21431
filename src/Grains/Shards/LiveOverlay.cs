using MovieRecommender.Grains.Search;
using MovieRecommender.Index;

namespace MovieRecommender.Grains.Shards;

/// <summary>
/// The live catalogue's changes on top of one shard's sealed rows: movies put since the version was published (new
/// ones, and known ones whose features changed, which hide their sealed row), and known movies taken down (hidden).
/// The index over the sealed rows is never rebuilt for a change: a search skips the hidden rows there, and asks the
/// put movies, whose answers merge by exact score. The put movies are searched as a small log-structured store: an
/// index over those present at its last build (<see cref="LiveSegment"/>), built off the grain's turn once enough
/// accumulated (<see cref="NeedsIndex"/>), and an exact scan of those put since (the tail). A takedown or a second put
/// of an indexed movie hides its index entry at once, so every change reaches the next search. Plain data, one grain's
/// turns use it.
/// </summary>
public sealed class LiveOverlay(int dimension)
{
    /// <summary>Put movies scanned exactly before an index over them is built; past it, a quarter of the indexed ones.</summary>
    public const int MinTailForIndex = 256;

    /// <summary>From this many put movies their index is IVF (int8 codes, the probe calibrated as the sealed rows' is); below, int8 codes scanned in full.</summary>
    public const int IvfFrom = 2048;

    private readonly Dictionary<string, int> _slotOf = new(StringComparer.Ordinal);
    private readonly List<Entry> _entries = [];
    private float[] _vectors = [];
    // Local rows of the sealed partition a search must skip: taken down, or replaced by a put.
    private readonly HashSet<int> _hiddenSealed = [];
    private int[]? _hiddenSorted;

    // The put movies' index (null until the first build) and the movies put since the snapshot it was built from.
    private LiveSegment? _segment;
    private readonly HashSet<string> _tail = new(StringComparer.Ordinal);
    // Movies changed since the snapshot of a build still running: they stay in the tail once it is installed.
    private HashSet<string>? _changedDuringBuild;

    /// <summary>A put movie: its global row and what it was put with.</summary>
    public sealed record Entry(string Id, int Row, MovieDescription Description, int? SealedLocal);

    /// <summary>How many movies were put (and are not taken down).</summary>
    public int Count => _entries.Count;

    /// <summary>How many put movies a search scans exactly (put since the index over them was built).</summary>
    public int TailCount => _tail.Count;

    /// <summary>The sealed rows (local ids, ascending) a search of the index skips.</summary>
    public int[] HiddenSealedRows => _hiddenSorted ??= [.. _hiddenSealed.Order()];

    /// <summary>Enough movies were put since the last index that a new one over every put movie pays (none is being built).</summary>
    public bool NeedsIndex => _changedDuringBuild is null && _tail.Count >= Math.Max(MinTailForIndex, (_segment?.Count ?? 0) / 4);

    /// <summary>
    /// The index over <paramref name="count"/> put movies: IVF sooner than the sealed rows' automatic choice (from
    /// <see cref="IvfFrom"/> rows, not 16,384), because a shard's put movies are searched on every recommendation.
    /// </summary>
    public static IndexSpec IndexFor(int count) =>
        count >= IvfFrom ? new IndexSpec(IndexKind.IvfInt8) : count >= MinTailForIndex ? new IndexSpec(IndexKind.Int8) : new IndexSpec(IndexKind.Exact);

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
        Changed(id);
        _tail.Add(id);
    }

    /// <summary>Takes the movie out of every answer: its put row is dropped, its sealed row (if any) hidden. False when it held neither.</summary>
    public bool TakeDown(string id, int? sealedLocal)
    {
        var found = false;
        if (_slotOf.Remove(id, out var slot))
        {
            // Swap the last entry into the freed slot: the entries stay dense.
            var last = _entries.Count - 1;
            if (slot != last)
            {
                _entries[slot] = _entries[last];
                _slotOf[_entries[slot].Id] = slot;
                Array.Copy(_vectors, last * dimension, _vectors, slot * dimension, dimension);
            }
            _entries.RemoveAt(last);
            Changed(id);
            _tail.Remove(id);
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

    /// <summary>
    /// What a build of the put movies' index starts from: every put movie now, its vectors copied. Changes from here on
    /// are remembered, so that <see cref="Install"/> keeps them in the tail.
    /// </summary>
    public (Entry[] Entries, float[] Vectors) Snapshot()
    {
        _changedDuringBuild = new HashSet<string>(StringComparer.Ordinal);
        return ([.. _entries], _vectors.AsSpan(0, _entries.Count * dimension).ToArray());
    }

    /// <summary>Serves the built index over the snapshot: its movies leave the tail, except those changed since it was taken.</summary>
    public void Install(Entry[] entries, IVectorIndex index)
    {
        var changed = _changedDuringBuild ?? [];
        _changedDuringBuild = null;
        var segment = new LiveSegment(entries, index);
        foreach (var id in changed) segment.Hide(id);
        _segment = segment;
        _tail.Clear();
        foreach (var id in changed)
            if (_slotOf.ContainsKey(id)) _tail.Add(id);
    }

    /// <summary>A build failed: the put movies stay in the tail, and a later change may try again.</summary>
    public void BuildFailed() => _changedDuringBuild = null;

    /// <summary>The K best put movies by exact dot product, skipping <paramref name="excludedRows"/> (global, ascending) and what the filter rejects.</summary>
    public ScoredMovie[] Search(ReadOnlySpan<float> query, int k, int[] excludedRows, MovieFilter? filter)
    {
        if (_entries.Count == 0 || k < 1) return [];
        var indexed = _segment?.Search(query, k, excludedRows, filter) ?? [];
        if (_tail.Count == 0) return indexed;
        // The heap's root is the worst kept: the lowest score, then the highest row (ties broken by row, as everywhere).
        var heap = new PriorityQueue<int, (float Score, int Row)>(k + 1, TopKOrder.WorstFirst.Instance);
        var filtered = filter is { IsEmpty: false };
        foreach (var id in _tail)
        {
            var slot = _slotOf[id];
            var entry = _entries[slot];
            if (excludedRows.Length > 0 && Array.BinarySearch(excludedRows, entry.Row) >= 0) continue;
            if (filtered && !filter!.Matches(entry.Description.Genres, entry.Description.Year)) continue;
            var score = FloatDot.Dot(query, _vectors.AsSpan(slot * dimension, dimension));
            if (heap.Count < k) heap.Enqueue(slot, (score, entry.Row));
            else if (heap.TryPeek(out _, out var worst) && TopKOrder.IsBetter(score, entry.Row, worst.Score, worst.Row))
                heap.EnqueueDequeue(slot, (score, entry.Row));
        }
        var scanned = new ScoredMovie[heap.Count];
        for (var i = scanned.Length - 1; i >= 0; i--)
        {
            heap.TryDequeue(out var slot, out var key);
            var entry = _entries[slot];
            scanned[i] = new ScoredMovie(entry.Row, entry.Id, entry.Description.Title, key.Score);
        }
        return indexed.Length == 0 ? scanned : ShardResultMerger.Merge([indexed, scanned], k);
    }

    private void Changed(string id)
    {
        _segment?.Hide(id);
        _changedDuringBuild?.Add(id);
    }

    private bool Hide(int local)
    {
        if (!_hiddenSealed.Add(local)) return false;
        _hiddenSorted = null;
        return true;
    }
}
