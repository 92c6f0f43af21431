using MovieRecommender.Index;

namespace MovieRecommender.Benchmarks.Index;

/// <summary>The exact inner-product top K of every query (computed once per dataset, in parallel; not timed).</summary>
public static class GroundTruth
{
    public static int[][] Compute(SyntheticEmbeddings data, int k)
    {
        var result = new int[data.QueryCount][];
        Parallel.For(0, data.QueryCount, q =>
            result[q] = FloatScan.TopK(data.Items, data.Dim, data.Query(q), k).Select(h => h.Id).ToArray());
        return result;
    }

    /// <summary>|found ∩ truth[..k]| / k.</summary>
    public static double Recall(ReadOnlySpan<int> found, int[] truth, int k)
    {
        var expected = new HashSet<int>(truth.Take(k));
        var hits = 0;
        foreach (var id in found) if (expected.Contains(id)) hits++;
        return (double)hits / Math.Min(k, truth.Length);
    }
}
