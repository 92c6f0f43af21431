using System.Numerics;
using System.Runtime.InteropServices;

namespace MovieRecommender.Grains.Search;

/// <summary>
/// Exact maximum-inner-product search over a block of float32 rows: every row is scored, the K best kept.
/// The quantized index replaces this for large shards; results here are the ground truth.
/// </summary>
public static class ExactScan
{
    /// <param name="vectors">rows x dim, row-major.</param>
    /// <param name="firstRow">global row of the block's first row; results and exclusions use global rows.</param>
    /// <param name="excludedRows">global rows to skip, sorted ascending (may include rows outside the block).</param>
    public static (int Row, float Score)[] TopK(ReadOnlySpan<float> vectors, int dim, int firstRow, ReadOnlySpan<float> query, int k, ReadOnlySpan<int> excludedRows)
    {
        if (query.Length != dim) throw new ArgumentException($"The query has {query.Length} dimensions, the shard {dim}.", nameof(query));
        var rows = vectors.Length / dim;
        var collector = new TopKCollector(k);
        // Exclusions are sorted: walk them alongside the rows instead of hashing.
        var next = LowerBound(excludedRows, firstRow);
        for (var r = 0; r < rows; r++)
        {
            var global = firstRow + r;
            if (next < excludedRows.Length && excludedRows[next] == global)
            {
                next++;
                continue;
            }
            collector.Offer(global, Dot(vectors.Slice(r * dim, dim), query));
        }
        return collector.ToSortedArray();
    }

    public static float Dot(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        var i = 0;
        var sum = 0f;
        if (Vector.IsHardwareAccelerated && a.Length >= Vector<float>.Count)
        {
            var acc = Vector<float>.Zero;
            var va = MemoryMarshal.Cast<float, Vector<float>>(a);
            var vb = MemoryMarshal.Cast<float, Vector<float>>(b);
            for (var v = 0; v < va.Length; v++) acc += va[v] * vb[v];
            sum = Vector.Sum(acc);
            i = va.Length * Vector<float>.Count;
        }
        for (; i < a.Length; i++) sum += a[i] * b[i];
        return sum;
    }

    private static int LowerBound(ReadOnlySpan<int> sorted, int value)
    {
        var index = sorted.BinarySearch(value);
        if (index < 0) return ~index;
        while (index > 0 && sorted[index - 1] == value) index--;
        return index;
    }
}
