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

    /// <summary>The rows of <paramref name="x"/> not in <paramref name="y"/> (both ascending), ascending.</summary>
    public static int[] Except(int[] x, int[] y)
    {
        if (y.Length == 0) return x;
        var rest = new List<int>(x.Length);
        var j = 0;
        foreach (var row in x)
        {
            while (j < y.Length && y[j] < row) j++;
            if (j >= y.Length || y[j] != row) rest.Add(row);
        }
        return [.. rest];
    }

    /// <summary>The rows in [0, <paramref name="count"/>) not in <paramref name="sorted"/> (ascending, within that range), ascending.</summary>
    public static int[] Complement(int[] sorted, int count)
    {
        var rest = new int[count - sorted.Length];
        int at = 0, j = 0;
        for (var row = 0; row < count; row++)
        {
            if (j < sorted.Length && sorted[j] == row) j++;
            else rest[at++] = row;
        }
        return rest;
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
