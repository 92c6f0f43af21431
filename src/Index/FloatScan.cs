using System.Runtime.CompilerServices;

namespace MovieRecommender.Index;

/// <summary>
/// Brute-force maximum inner product search over float32 rows: every row scored with <see cref="FloatDot"/>,
/// the K best kept in <see cref="TopKOrder"/>. The ground truth the quantized kinds are measured against.
/// </summary>
public static class FloatScan
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static SearchHit[] TopK(ReadOnlySpan<float> vectors, int dim, ReadOnlySpan<float> query, int k, ReadOnlySpan<int> excludedIds = default, bool portable = false)
    {
        var rows = vectors.Length / dim;
        if (k <= 0 || rows == 0) return [];
        var heap = new HitHeap(Math.Min(k, rows));
        var nextExcluded = 0;
        for (var r = 0; r < rows; r++)
        {
            // Exclusions are sorted: walk them alongside the rows.
            while (nextExcluded < excludedIds.Length && excludedIds[nextExcluded] < r) nextExcluded++;
            if (nextExcluded < excludedIds.Length && excludedIds[nextExcluded] == r) continue;
            var score = FloatDot.Dot(vectors.Slice(r * dim, dim), query, portable);
            if (heap.IsFull && !(score > heap.WorstScore)) continue;
            heap.Offer(new SearchHit(r, score));
        }
        return heap.ToSortedArray();
    }

    /// <summary>A min-heap of hits whose root is the worst held by <see cref="TopKOrder"/>.</summary>
    private sealed class HitHeap(int capacity)
    {
        private readonly SearchHit[] _items = new SearchHit[capacity];
        private int _count;

        public bool IsFull => _count == _items.Length;

        public float WorstScore => _items[0].Score;

        public void Offer(SearchHit hit)
        {
            if (_count < _items.Length)
            {
                var i = _count++;
                while (i > 0)
                {
                    var parent = (i - 1) >> 1;
                    if (!Worse(hit, _items[parent])) break;
                    _items[i] = _items[parent];
                    i = parent;
                }
                _items[i] = hit;
                return;
            }
            if (!Worse(_items[0], hit)) return;
            var at = 0;
            while (true)
            {
                var child = 2 * at + 1;
                if (child >= _count) break;
                if (child + 1 < _count && Worse(_items[child + 1], _items[child])) child++;
                if (!Worse(_items[child], hit)) break;
                _items[at] = _items[child];
                at = child;
            }
            _items[at] = hit;
        }

        public SearchHit[] ToSortedArray()
        {
            var result = _items[.._count];
            ExactRerank.SortBestFirst(result);
            return result;
        }

        private static bool Worse(SearchHit a, SearchHit b) => TopKOrder.IsBetter(b, a);
    }
}
