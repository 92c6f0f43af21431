using System.Text;
using MovieRecommender.Grains.Shards;

namespace MovieRecommender.Grains.Users;

/// <summary>
/// Gathers a user shard's users as the publisher pushes them, chunk by chunk and in any order, and lays them out as
/// <see cref="UserRows"/> at the seal. A user pushed twice (a chunk sent again) keeps its last push, as a dictionary would.
/// </summary>
public sealed class UserRowsBuilder(int dimension)
{
    private readonly List<Batch> _batches = [];

    /// <summary>Users taken so far, a user pushed twice counted twice.</summary>
    public int Pushed { get; private set; }

    /// <summary>Takes a chunk's users: <paramref name="vectors"/> is ids.Length x the dimension, row-major.</summary>
    /// <exception cref="ArgumentException">An id is not valid UTF-16 (a lone surrogate): it could not be found again.</exception>
    public void Add(string[] ids, ReadOnlySpan<float> vectors, int[][] seen)
    {
        // Refused here, before anything is taken, rather than at the seal.
        foreach (var id in ids) Utf8Column.Utf8ByteCount(id, "User id");
        _batches.Add(new(ids, vectors.ToArray(), seen));
        Pushed += ids.Length;
    }

    /// <summary>Takes every user of sealed rows (a version pushed again over the one it holds).</summary>
    public void Add(UserRows rows)
    {
        var ids = new string[rows.Count];
        var seen = new int[rows.Count][];
        for (var i = 0; i < rows.Count; i++)
        {
            ids[i] = rows.IdAt(i);
            seen[i] = rows.SeenAt(i).ToArray();
        }
        _batches.Add(new(ids, rows.Vectors, seen));
        Pushed += ids.Length;
    }

    public UserRows Build()
    {
        // Every push in arrival order: its batch and row.
        var where = new (int Batch, int Row)[Pushed];
        var ids = new string[Pushed];
        var n = 0;
        for (var b = 0; b < _batches.Count; b++)
            for (var r = 0; r < _batches[b].Ids.Length; r++, n++)
            {
                where[n] = (b, r);
                ids[n] = _batches[b].Ids[r];
            }
        // In byte order, pushes of one id in arrival order: the last of each run is the one kept.
        var sorted = Utf8Column.Sorted(ids, out var order, "User id");
        var kept = new List<int>(Pushed);
        for (var i = 0; i < order.Length; i++)
            if (i + 1 == order.Length || !sorted.Utf8At(i).SequenceEqual(sorted.Utf8At(i + 1))) kept.Add(i);

        var seenEnds = new int[kept.Count];
        var vectors = new float[checked(kept.Count * dimension)];
        var seenCount = 0;
        for (var i = 0; i < kept.Count; i++) seenEnds[i] = seenCount = checked(seenCount + SeenOf(order[kept[i]]).Length);
        var seen = new int[seenCount];
        for (var i = 0; i < kept.Count; i++)
        {
            var (batch, row) = where[order[kept[i]]];
            _batches[batch].Vectors.AsSpan(row * dimension, dimension).CopyTo(vectors.AsSpan(i * dimension));
            SeenOf(order[kept[i]]).CopyTo(seen.AsSpan(i == 0 ? 0 : seenEnds[i - 1]));
        }
        return new UserRows { Dimension = dimension, Ids = sorted.Select(kept.ToArray()), Vectors = vectors, SeenEnds = seenEnds, Seen = seen };

        int[] SeenOf(int push) => _batches[where[push].Batch].Seen[where[push].Row] ?? [];
    }

    private sealed record Batch(string[] Ids, float[] Vectors, int[][] Seen);
}
