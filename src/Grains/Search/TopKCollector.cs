namespace MovieRecommender.Grains.Search;

/// <summary>
/// Keeps the K best (row, score) pairs seen so far: higher score first, and on equal scores the lower row,
/// so that every shard and every merge agrees on one order. A min-heap of size K: O(N log K) for N offers.
/// </summary>
public sealed class TopKCollector
{
    private readonly PriorityQueue<int, (float Score, int Row)> _heap;
    private readonly int _k;

    public TopKCollector(int k)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(k);
        _k = k;
        _heap = new PriorityQueue<int, (float, int)>(k + 1, WorstFirst.Instance);
    }

    public int Count => _heap.Count;

    /// <summary>The score a candidate must beat to enter, or -infinity while fewer than K are held.</summary>
    public float Threshold => _heap.Count < _k ? float.NegativeInfinity : _heap.TryPeek(out _, out var p) ? p.Score : float.NegativeInfinity;

    public void Offer(int row, float score)
    {
        if (_k == 0) return;
        if (_heap.Count < _k)
        {
            _heap.Enqueue(row, (score, row));
            return;
        }
        _heap.TryPeek(out _, out var worst);
        if (IsBetter(score, row, worst.Score, worst.Row))
        {
            _heap.DequeueEnqueue(row, (score, row));
        }
    }

    /// <summary>The held pairs, best first.</summary>
    public (int Row, float Score)[] ToSortedArray()
    {
        var result = new (int Row, float Score)[_heap.Count];
        var i = result.Length;
        var copy = new PriorityQueue<int, (float Score, int Row)>(_heap.UnorderedItems, WorstFirst.Instance);
        while (copy.TryDequeue(out var row, out var p)) result[--i] = (row, p.Score);
        return result;
    }

    public static bool IsBetter(float score, int row, float otherScore, int otherRow) =>
        score > otherScore || (score == otherScore && row < otherRow);

    private sealed class WorstFirst : IComparer<(float Score, int Row)>
    {
        public static readonly WorstFirst Instance = new();

        // The heap's root is the worst held pair: lowest score, then highest row.
        public int Compare((float Score, int Row) x, (float Score, int Row) y) =>
            IsBetter(x.Score, x.Row, y.Score, y.Row) ? 1 : IsBetter(y.Score, y.Row, x.Score, x.Row) ? -1 : 0;
    }
}
