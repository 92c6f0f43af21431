using MovieRecommender.Index;

namespace MovieRecommender.Index.Tests;

/// <summary>Seeded embeddings with structure (Gaussian clusters, log-normal norms) and recall against the exact scan.</summary>
public static class IndexTestData
{
    public static float[] Clustered(int rows, int dim, int seed, int clusters = 24)
    {
        var random = new Random(seed);
        var centers = new float[clusters * dim];
        for (var i = 0; i < centers.Length; i++) centers[i] = (float)Gaussian(random);
        var vectors = new float[rows * dim];
        for (var r = 0; r < rows; r++)
        {
            var c = random.Next(clusters);
            var squared = 0.0;
            for (var j = 0; j < dim; j++)
            {
                var v = centers[c * dim + j] + 0.6 * Gaussian(random);
                vectors[r * dim + j] = (float)v;
                squared += v * v;
            }
            var scale = Math.Exp(0.5 * Gaussian(random)) / Math.Sqrt(squared);
            for (var j = 0; j < dim; j++) vectors[r * dim + j] = (float)(vectors[r * dim + j] * scale);
        }
        return vectors;
    }

    /// <summary>Mean recall@K of the index over the queries, checking on the way that every score is exact.</summary>
    public static double Recall(IVectorIndex index, float[] vectors, float[] queries, int k, SearchParameters parameters = default)
    {
        var dim = index.Dimension;
        var total = 0.0;
        var count = queries.Length / dim;
        for (var q = 0; q < count; q++)
        {
            var query = queries.AsSpan(q * dim, dim);
            var expected = FloatScan.TopK(vectors, dim, query, k).Select(h => h.Id).ToHashSet();
            var found = index.Search(query, k, default, parameters);
            Assert.Equal(Math.Min(k, index.Count), found.Length);
            foreach (var hit in found)
                Assert.Equal(FloatDot.Dot(vectors.AsSpan(hit.Id * dim, dim), query), hit.Score);
            Assert.True(found.Zip(found.Skip(1)).All(p => TopKOrder.IsBetter(p.First, p.Second)), "Results must come in TopKOrder.");
            total += found.Count(h => expected.Contains(h.Id)) / (double)expected.Count;
        }
        return total / count;
    }

    /// <summary>Unstructured rows: every component iid N(0, 1/dim) (no clusters for IVF to find).</summary>
    public static float[] Gaussian(int rows, int dim, int seed)
    {
        var random = new Random(seed);
        var vectors = new float[rows * dim];
        for (var i = 0; i < vectors.Length; i++) vectors[i] = (float)(Gaussian(random) / Math.Sqrt(dim));
        return vectors;
    }

    private static double Gaussian(Random random) =>
        Math.Sqrt(-2.0 * Math.Log(1.0 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
