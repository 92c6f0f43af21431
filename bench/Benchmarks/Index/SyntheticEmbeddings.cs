using MovieRecommender.Index;

namespace MovieRecommender.Benchmarks.Index;

/// <summary>
/// Seeded embeddings with structure: Gaussian clusters whose directions are normalized and then scaled by a
/// log-normal norm, so that the inner product ranking differs from the cosine ranking (norms carry popularity).
/// Queries come from the same clusters (users near the movies they like), with their own norms.
/// </summary>
public sealed class SyntheticEmbeddings
{
    private SyntheticEmbeddings(int dim, float[] items, float[] queries)
    {
        Dim = dim;
        Items = items;
        Queries = queries;
    }

    public int Dim { get; }

    /// <summary>Rows x Dim, row-major.</summary>
    public float[] Items { get; }

    public float[] Queries { get; }

    public int ItemCount => Items.Length / Dim;

    public int QueryCount => Queries.Length / Dim;

    public ReadOnlySpan<float> Query(int q) => Queries.AsSpan(q * Dim, Dim);

    public static SyntheticEmbeddings Generate(int n, int dim, int queries, int clusters, int seed, double normSigma = 0.5, double spread = 0.6)
    {
        var centers = Centers(dim, clusters, seed);
        var items = new float[checked(n * dim)];
        Fill(items, dim, centers, clusters, seed + 1, normSigma, spread);
        var query = new float[queries * dim];
        Fill(query, dim, centers, clusters, seed + 2, 0.25, spread * 1.5);
        return new SyntheticEmbeddings(dim, items, query);
    }

    /// <summary>The clusters' centers of <see cref="Generate"/> with the same seed (clusters x dim, row-major); a small index is a large cluster.</summary>
    public static float[] Centers(int dim, int clusters, int seed)
    {
        var centers = new float[clusters * dim];
        var random = new Random(seed);
        for (var i = 0; i < centers.Length; i++) centers[i] = (float)Gaussian(random);
        return centers;
    }

    /// <summary>Unstructured: every component of items and queries iid N(0, 1/dim), as the publish benchmark generates.</summary>
    public static SyntheticEmbeddings Gaussian(int n, int dim, int queries, int seed)
    {
        var items = new float[checked(n * dim)];
        var query = new float[queries * dim];
        FillGaussian(items, seed + 1, 1 / Math.Sqrt(dim));
        FillGaussian(query, seed + 2, 1 / Math.Sqrt(dim));
        return new SyntheticEmbeddings(dim, items, query);
    }

    private static void FillGaussian(float[] target, int seed, double sigma)
    {
        const int chunk = 1 << 20;
        Parallel.For(0, (target.Length + chunk - 1) / chunk, part =>
        {
            var random = new Random(SeedMix.Of(seed, part));
            var end = Math.Min(target.Length, (part + 1) * chunk);
            for (var i = part * chunk; i < end; i++) target[i] = (float)(sigma * Gaussian(random));
        });
    }

    private static void Fill(float[] target, int dim, float[] centers, int clusters, int seed, double normSigma, double spread)
    {
        var rows = target.Length / dim;
        const int chunk = 16_384;
        // Every chunk has its own seeded generator, so the data depends neither on the thread count nor (SeedMix, not
        // HashCode) on the process.
        Parallel.For(0, (rows + chunk - 1) / chunk, part =>
        {
            var random = new Random(SeedMix.Of(seed, part));
            var end = Math.Min(rows, (part + 1) * chunk);
            for (var r = part * chunk; r < end; r++)
            {
                // Cluster sizes are skewed (a few genres are large).
                var c = (int)(clusters * Math.Pow(random.NextDouble(), 2));
                var row = target.AsSpan(r * dim, dim);
                var squared = 0.0;
                for (var j = 0; j < dim; j++)
                {
                    var v = centers[c * dim + j] + spread * Gaussian(random);
                    row[j] = (float)v;
                    squared += v * v;
                }
                var norm = Math.Exp(normSigma * Gaussian(random)) / Math.Sqrt(squared);
                for (var j = 0; j < dim; j++) row[j] = (float)(row[j] * norm);
            }
        });
    }

    /// <summary>A standard normal value (Box-Muller).</summary>
    public static double Gaussian(Random random)
    {
        var u1 = 1.0 - random.NextDouble();
        var u2 = random.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }
}
