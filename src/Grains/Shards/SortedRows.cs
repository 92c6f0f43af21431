namespace MovieRecommender.Grains.Shards;

/// <summary>
/// Sets of rows kept as ascending arrays, the form an index takes its excluded ids in: merged and searched without
/// building a set.
/// </summary>
public static class SortedRows
{
    /// <summary>The rows of both (each ascending), ascending; a row found in both comes once.</summary>
    public static int[] Union(int[] x, int[] y)
    {
        var union = new List<int>(x.Length + y.Length);
        int i = 0, j = 0;
        while (i < x.Length || j < y.Length)
        {
            var next = j >= y.Length || (i < x.Length && x[i] <= y[j]) ? x[i] : y[j];
            if (i < x.Length && x[i] == next) i++;
            if (j < y.Length && y[j] == next) j++;
            union.Add(next);
        }
        return [.. union];
    }

    /// <summary>The position of the first row not below <paramref name="value"/> (the length when every row is below).</summary>
    public static int LowerBound(int[] sorted, int value)
    {
        int lo = 0, hi = sorted.Length;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (sorted[mid] < value) lo = mid + 1;
            else hi = mid;
        }
        return lo;
    }
}
