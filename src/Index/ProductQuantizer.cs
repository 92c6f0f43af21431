using System.Numerics;
using System.Runtime.Intrinsics;

namespace MovieRecommender.Index;

/// <summary>
/// 4-bit product quantization: the dimensions split into M subspaces, each with a 16-centroid codebook (k-means),
/// so a vector becomes M 4-bit codes. A query's inner product with a code is the sum of M table lookups.
/// </summary>
internal sealed class ProductQuantizer
{
    public const int Centroids = 16;

    private ProductQuantizer(int dim, int subspaces, float[] codebooks)
    {
        Dim = dim;
        Subspaces = subspaces;
        SubDim = SubDimension(dim, subspaces);
        Codebooks = codebooks;
    }

    public int Dim { get; }

    public int Subspaces { get; }

    public int SubDim { get; }

    /// <summary>M x 16 x SubDim (a short last subspace is zero-padded).</summary>
    public float[] Codebooks { get; }

    /// <summary>Two dimensions per code, rounded up to an even count (FastScan pairs subspaces).</summary>
    public static int DefaultSubspaces(int dim) => Math.Max(2, ((dim + 1) / 2 + 1) / 2 * 2);

    /// <summary>Dimensions per subspace: ceil(dim / M); subspace m covers [m * SubDim, min(dim, (m + 1) * SubDim)).</summary>
    public static int SubDimension(int dim, int subspaces) => (dim + subspaces - 1) / subspaces;

    /// <summary>How many dimensions subspace m really covers (0 for padding subspaces past the end).</summary>
    public int Width(int m) => Math.Clamp(Dim - m * SubDim, 0, SubDim);

    public static ProductQuantizer Train(float[] vectors, int dim, int subspaces, int[] sample, int iterations, int seed, int threads)
    {
        if (subspaces < 2 || subspaces % 2 != 0 || subspaces > 256)
            throw new ArgumentException($"PQ4 needs an even number of subspaces from 2 to 256, not {subspaces}.", nameof(subspaces));
        var subDim = SubDimension(dim, subspaces);
        var codebooks = new float[subspaces * Centroids * subDim];
        Parallel.For(0, subspaces, new ParallelOptions { MaxDegreeOfParallelism = threads }, m =>
        {
            var width = Math.Clamp(dim - m * subDim, 0, subDim);
            if (width == 0 || sample.Length == 0) return;
            var centroids = KMeans.Train(vectors, dim, m * subDim, width, sample, Centroids, iterations, seed + m, threads: 1);
            for (var c = 0; c < Centroids; c++)
                centroids.AsSpan(c * width, width).CopyTo(codebooks.AsSpan((m * Centroids + c) * subDim, width));
        });
        return new ProductQuantizer(dim, subspaces, codebooks);
    }

    /// <summary>The code (0-15) of every row in every subspace: rows x M bytes. Row by row, so each row is read once.</summary>
    public byte[] Encode(float[] vectors, int threads)
    {
        var rows = vectors.Length / Dim;
        var codes = new byte[(long)rows * Subspaces];
        // Per subspace and dimension, the 16 centroids' components in two registers; and |c|^2 / 2.
        var transposed = new float[Subspaces * SubDim * Centroids];
        var halfNorms = new float[Subspaces * Centroids];
        for (var m = 0; m < Subspaces; m++)
        {
            for (var c = 0; c < Centroids; c++)
            {
                var norm = 0f;
                for (var j = 0; j < SubDim; j++)
                {
                    var value = Codebooks[(m * Centroids + c) * SubDim + j];
                    transposed[(m * SubDim + j) * Centroids + c] = value;
                    norm += value * value;
                }
                halfNorms[m * Centroids + c] = norm / 2;
            }
        }
        const int chunk = 4096;
        Parallel.For(0, (rows + chunk - 1) / chunk, new ParallelOptions { MaxDegreeOfParallelism = threads }, part =>
        {
            var end = Math.Min(rows, (part + 1) * chunk);
            for (var r = part * chunk; r < end; r++)
            {
                var x = vectors.AsSpan(r * Dim, Dim);
                for (var m = 0; m < Subspaces; m++)
                {
                    var width = Width(m);
                    var lo = Vector256.Create<float>(halfNorms.AsSpan(m * Centroids, 8));
                    var hi = Vector256.Create<float>(halfNorms.AsSpan(m * Centroids + 8, 8));
                    for (var j = 0; j < width; j++)
                    {
                        var xj = Vector256.Create(x[m * SubDim + j]);
                        var t = transposed.AsSpan((m * SubDim + j) * Centroids, Centroids);
                        lo -= xj * Vector256.Create<float>(t[..8]);
                        hi -= xj * Vector256.Create<float>(t[8..]);
                    }
                    // argmin over 16: the minimum, then the first lane equal to it.
                    var min8 = Vector256.Min(lo, hi);
                    var min4 = Vector128.Min(min8.GetLower(), min8.GetUpper());
                    var min2 = Vector128.Min(min4, Vector128.Shuffle(min4, Vector128.Create(2, 3, 0, 1)));
                    var min1 = Vector128.Min(min2, Vector128.Shuffle(min2, Vector128.Create(1, 0, 3, 2)));
                    var best = Vector256.Create(min1.ToScalar());
                    var mask = Vector256.Equals(lo, best).ExtractMostSignificantBits() | (Vector256.Equals(hi, best).ExtractMostSignificantBits() << 8);
                    codes[(long)r * Subspaces + m] = (byte)(mask == 0 ? 0 : BitOperations.TrailingZeroCount(mask));
                }
            }
        });
        return codes;
    }

    /// <summary>The query's inner product with every centroid: M x 16 floats.</summary>
    public float[] LookupTable(ReadOnlySpan<float> query)
    {
        var table = new float[Subspaces * Centroids];
        for (var m = 0; m < Subspaces; m++)
        {
            var width = Width(m);
            var q = query.Slice(m * SubDim, width);
            for (var c = 0; c < Centroids; c++)
            {
                var centroid = Codebooks.AsSpan((m * Centroids + c) * SubDim, width);
                var sum = 0f;
                for (var j = 0; j < width; j++) sum += q[j] * centroid[j];
                table[m * Centroids + c] = sum;
            }
        }
        return table;
    }
}
