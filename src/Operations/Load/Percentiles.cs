namespace MovieRecommender.Operations.Load;

/// <summary>The one percentile of the load generator, the benchmarks and their reports: the nearest rank.</summary>
public static class Percentiles
{
    /// <summary>The value at rank ⌈p·n⌉ of the sorted values (0 when there are none).</summary>
    public static double NearestRank(IEnumerable<double> values, double p) => OfSorted(values.Order().ToArray(), p);

    /// <summary>The same, of values sorted already.</summary>
    public static double OfSorted(IReadOnlyList<double> sorted, double p)
    {
        if (sorted.Count == 0) return 0;
        var rank = (int)Math.Ceiling(p * sorted.Count);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Count - 1)];
    }
}
