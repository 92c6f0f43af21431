using System.Runtime.InteropServices;
using MovieRecommender.Index;

namespace MovieRecommender.Grains.Shards;

/// <summary>
/// One candidate shard's rows of one version: the movies [<see cref="FirstRow"/>, FirstRow + <see cref="Count"/>) of
/// the version's items, their float32 embeddings (the index builds over them), ids, titles, genres and years. Filled
/// chunk by chunk, or read back whole from the store. Plain data, so that its checks are tested without a cluster;
/// the grain adds the Orleans plumbing.
/// </summary>
public sealed class CandidatePartition
{
    // The rows in the form the store keeps them; a chunk writes into these arrays. Ids and titles are strings while
    // chunks fill them and packed (UTF-8, two arrays each) once sealed or read back: see Utf8Column.
    private CandidatePartitionState _rows;
    private readonly bool[] _loaded;
    private readonly GenreLists _genres = new();
    private Dictionary<string, int>? _localOfId;
    private ShardExclusions? _exclusions;

    private CandidatePartition(CandidatePartitionState rows, int shard, bool[] loaded)
    {
        _rows = rows;
        Model = rows.Model ?? throw new ArgumentException("The stored partition names no model version.", nameof(rows));
        Shard = shard;
        _loaded = loaded;
        LoadedCount = loaded.Count(l => l);
        _genres.ShareAll(rows.Genres);
    }

    private bool Packed => _rows.PackedIds is not null;

    public ModelVersionInfo Model { get; }

    public int Shard { get; }

    /// <summary>The version's row of this shard's first movie (local row 0, index id 0).</summary>
    public int FirstRow => _rows.FirstRow;

    /// <summary>The shard's rows: <see cref="Count"/> x the model's dimension, row-major. The index builds over these.</summary>
    public float[] Vectors => _rows.Vectors;

    public int Count => _rows.RowCount;

    /// <summary>How many of the shard's rows a chunk has written (a chunk pushed twice counts once).</summary>
    public int LoadedCount { get; private set; }

    /// <summary>Every row arrived: the shard can answer, be sealed and build its index.</summary>
    public bool IsComplete => LoadedCount == Count;

    /// <summary>How many chunks were taken: what a cache over the rows compares to know it is stale.</summary>
    public int Writes { get; private set; }

    /// <summary>The index ids a search of these rows skips, with the filter answers cached until the next write.</summary>
    public ShardExclusions Exclusions => _exclusions ??= new(this);

    /// <summary>The empty rows of shard <paramref name="shard"/> of the version's layout, for chunks to fill.</summary>
    public static CandidatePartition ForLayout(ModelVersionInfo model, int shard)
    {
        var (start, count) = Partitioning.ShardRows(model.ItemCount, model.CandidateShards, shard);
        var rows = new CandidatePartitionState
        {
            Model = model, FirstRow = start, Vectors = new float[checked(count * model.Dimension)],
            Ids = new string[count], Titles = new string[count], Genres = new string[count][], Years = new int[count],
        };
        return new(rows, shard, new bool[count]);
    }

    /// <summary>A sealed partition read back from the store (a restart, a crash or a move): every row present.</summary>
    public static CandidatePartition FromState(CandidatePartitionState state, int shard)
    {
        var partition = new CandidatePartition(state, shard, Enumerable.Repeat(true, state.RowCount).ToArray());
        partition.Pack();
        return partition;
    }

    /// <summary>What the store keeps of the shard: the same arrays, not a copy (a partition is large); ids and titles packed.</summary>
    public CandidatePartitionState ToState()
    {
        Pack();
        return _rows with { };
    }

    private void Pack()
    {
        if (Packed) return;
        _rows = _rows with
        {
            PackedIds = Utf8Column.From(_rows.Ids, "Movie id"), PackedTitles = Utf8Column.From(_rows.Titles, "Movie title"),
            Ids = [], Titles = [],
        };
    }

    private void Unpack()
    {
        if (!Packed) return;
        _rows = _rows with
        {
            Ids = _rows.IdsOf(0, Count), Titles = _rows.TitlesOf(0, Count), PackedIds = null, PackedTitles = null,
        };
    }

    private string IdAt(int local) => _rows.PackedIds is { } ids ? ids[local] : _rows.Ids[local];

    private string TitleAt(int local) => _rows.PackedTitles is { } titles ? titles[local] : _rows.Titles[local];

    /// <summary>
    /// Writes a chunk into its rows. Every check comes before the first write, so a refused chunk changes nothing.
    /// The caller checks the chunk's layout (its message names the grain).
    /// </summary>
    public void Take(CandidateChunk chunk)
    {
        var dim = Model.Dimension;
        var count = chunk.Ids.Length;
        if (chunk.Titles.Length != count || chunk.Genres.Length != count || chunk.Years.Length != count || chunk.Vectors.Length != count * dim * sizeof(float))
            throw new ArgumentException($"Chunk at row {chunk.FirstRow}: {count} ids, {chunk.Titles.Length} titles, {chunk.Genres.Length} genre lists, " +
                $"{chunk.Years.Length} years and {chunk.Vectors.Length} vector bytes do not match dimension {dim}.");
        var local = chunk.FirstRow - FirstRow;
        if (local < 0 || local + count > Count)
            throw new ArgumentOutOfRangeException(nameof(chunk),
                $"Rows [{chunk.FirstRow}, {chunk.FirstRow + count}) fall outside shard {Shard}'s rows [{FirstRow}, {FirstRow + Count}).");

        // Refuse NaN and infinity before they reach the shard: the index would refuse to build on them later.
        var vectors = MemoryMarshal.Cast<byte, float>(chunk.Vectors);
        VectorGuard.CheckRows(vectors, dim, nameof(chunk));
        // Rows pushed again over a sealed partition: strings again until the next seal.
        Unpack();
        vectors.CopyTo(Vectors.AsSpan(local * dim, count * dim));
        for (var i = 0; i < count; i++)
        {
            _rows.Ids[local + i] = chunk.Ids[i];
            _rows.Titles[local + i] = chunk.Titles[i];
            _rows.Genres[local + i] = chunk.Genres[i] is { } genres ? _genres.Shared(genres) : null!;
            _rows.Years[local + i] = chunk.Years[i];
            if (!_loaded[local + i])
            {
                _loaded[local + i] = true;
                LoadedCount++;
            }
        }
        Writes++;
        // Derived from the ids just written: built again on the next look-up.
        _localOfId = null;
    }

    /// <summary>The movie's row and embedding, or null: not in this shard, or the shard is not complete yet.</summary>
    public MovieVector? Find(string movieId) => LocalRowOf(movieId) is { } row ? VectorAt(row) : null;

    /// <summary>The local row of the movie, or null: not in this shard, or the shard is not complete yet.</summary>
    public int? LocalRowOf(string movieId)
    {
        if (!IsComplete) return null;
        // Built on the first look-up only: most shards are never asked.
        _localOfId ??= Enumerable.Range(0, Count).ToDictionary(IdAt, local => local, StringComparer.Ordinal);
        return _localOfId.TryGetValue(movieId, out var row) ? row : null;
    }

    /// <summary>The movie at a local row: its global row, id, title and embedding.</summary>
    public MovieVector VectorAt(int local) =>
        new(FirstRow + local, IdAt(local), TitleAt(local), Vectors.AsSpan(local * Model.Dimension, Model.Dimension).ToArray());

    /// <summary>What the version says of the movie at a local row: the features it was embedded from.</summary>
    public MovieDescription DescriptionAt(int local) => new(TitleAt(local), _rows.Genres[local], _rows.Years[local]);

    /// <summary>The distinct genres of the rows written so far (case-insensitively), in no particular order.</summary>
    public string[] Genres() =>
        _rows.Genres.Where(g => g is not null).SelectMany(g => g).Distinct(StringComparer.OrdinalIgnoreCase).ToArray();

    /// <summary>The index's hits (local ids) as the version's movies.</summary>
    public ScoredMovie[] Scored(SearchHit[] top)
    {
        var result = new ScoredMovie[top.Length];
        for (var i = 0; i < top.Length; i++)
        {
            var local = top[i].Id;
            result[i] = new ScoredMovie(FirstRow + local, IdAt(local), TitleAt(local), top[i].Score);
        }
        return result;
    }

    /// <summary>The excluded global rows (sorted) that fall in this shard, as the index's 0-based ids.</summary>
    public int[] LocalRows(int[] excludedRows)
    {
        var from = SortedRows.LowerBound(excludedRows, FirstRow);
        var to = SortedRows.LowerBound(excludedRows, FirstRow + Count);
        var local = new int[Math.Max(0, to - from)];
        for (var i = 0; i < local.Length; i++) local[i] = excludedRows[from + i] - FirstRow;
        return local;
    }

    /// <summary>The local ids (ascending) of the movies the filter accepts: a scan of every row's genres and year.</summary>
    public int[] RowsAcceptedBy(MovieFilter filter)
    {
        var accepted = new List<int>();
        for (var local = 0; local < Count; local++)
            if (filter.Matches(_rows.Genres[local], _rows.Years[local])) accepted.Add(local);
        return [.. accepted];
    }
}
