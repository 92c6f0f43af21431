using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace MovieRecommender.Index;

/// <summary>
/// Lloyd's k-means (squared L2), for the PQ codebooks and the IVF centroids. Rows are read in place with a stride
/// and an offset, so a PQ subspace is clustered without copying it out. Assignment scores eight centroids per
/// register (centroids stored transposed), so there is no horizontal reduction per pair.
/// </summary>
internal static unsafe class KMeans
{
    /// <summary>Trains k centroids (k x dim, row-major) on the given rows.</summary>
    public static float[] Train(float[] data, int stride, int offset, int dim, ReadOnlySpan<int> rows, int k, int iterations, int seed, int threads)
    {
        if (rows.Length == 0) throw new ArgumentException("k-means needs at least one row.", nameof(rows));
        // Gather the sample once: every iteration then streams a contiguous block instead of missing the cache on
        // scattered rows of a large shard.
        var gathered = new float[rows.Length * dim];
        for (var i = 0; i < rows.Length; i++) data.AsSpan(rows[i] * stride + offset, dim).CopyTo(gathered.AsSpan(i * dim, dim));
        return TrainContiguous(gathered, dim, k, iterations, seed, threads);
    }

    private static float[] TrainContiguous(float[] data, int dim, int k, int iterations, int seed, int threads)
    {
        var count = data.Length / dim;
        int stride = dim, offset = 0;
        var rows = Enumerable.Range(0, count).ToArray();
        var random = new Random(seed);
        var centroids = new float[k * dim];
        // Initialize with distinct sampled rows (repeating when there are fewer rows than centroids).
        var picks = rows.ToArray();
        random.Shuffle(picks);
        for (var c = 0; c < k; c++) CopyRow(data, stride, offset, dim, picks[c % picks.Length], centroids.AsSpan(c * dim, dim));

        var assignment = new int[rows.Length];
        var sums = new double[k * dim];
        var counts = new int[k];
        for (var iteration = 0; iteration < iterations; iteration++)
        {
            Assign(data, stride, offset, dim, rows, centroids, k, assignment, threads);
            Array.Clear(sums);
            Array.Clear(counts);
            for (var i = 0; i < rows.Length; i++)
            {
                var c = assignment[i];
                counts[c]++;
                var baseIndex = rows[i] * stride + offset;
                for (var j = 0; j < dim; j++) sums[c * dim + j] += data[baseIndex + j];
            }
            for (var c = 0; c < k; c++)
            {
                if (counts[c] == 0)
                {
                    // An empty cluster restarts at a random row.
                    CopyRow(data, stride, offset, dim, rows[random.Next(rows.Length)], centroids.AsSpan(c * dim, dim));
                    continue;
                }
                for (var j = 0; j < dim; j++) centroids[c * dim + j] = (float)(sums[c * dim + j] / counts[c]);
            }
        }
        return centroids;
    }

    /// <summary>The nearest centroid (squared L2) of each row; rows empty means every row of the data.</summary>
    public static void Assign(float[] data, int stride, int offset, int dim, ReadOnlySpan<int> rows, float[] centroids, int k, Span<int> assignment, int threads)
    {
        var blocks = (k + 7) / 8;
        // Transposed: for block b and dimension j, eight centroids' components side by side; padding centroids get
        // an infinite norm so they never win.
        var transposed = new float[blocks * dim * 8];
        var halfNorms = new float[blocks * 8];
        Array.Fill(halfNorms, float.PositiveInfinity);
        for (var c = 0; c < k; c++)
        {
            var norm = 0f;
            for (var j = 0; j < dim; j++)
            {
                var v = centroids[c * dim + j];
                transposed[((c >> 3) * dim + j) * 8 + (c & 7)] = v;
                norm += v * v;
            }
            halfNorms[c] = norm / 2;
        }
        var count = rows.IsEmpty ? assignment.Length : rows.Length;
        var rowArray = rows.IsEmpty ? null : rows.ToArray();
        var result = new int[count];
        const int chunk = 1024;
        Parallel.For(0, (count + chunk - 1) / chunk, new ParallelOptions { MaxDegreeOfParallelism = threads }, part =>
        {
            var end = Math.Min(count, (part + 1) * chunk);
            fixed (float* d = data)
            fixed (float* t = transposed)
            fixed (float* h = halfNorms)
            {
                var i = part * chunk;
                for (; i + 4 <= end; i += 4)
                {
                    var r0 = rowArray is null ? i : rowArray[i];
                    var r1 = rowArray is null ? i + 1 : rowArray[i + 1];
                    var r2 = rowArray is null ? i + 2 : rowArray[i + 2];
                    var r3 = rowArray is null ? i + 3 : rowArray[i + 3];
                    Nearest4(d + (long)r0 * stride + offset, d + (long)r1 * stride + offset, d + (long)r2 * stride + offset, d + (long)r3 * stride + offset,
                        dim, t, h, blocks, result, i);
                }
                for (; i < end; i++)
                {
                    var row = rowArray is null ? i : rowArray[i];
                    var x = d + (long)row * stride + offset;
                    Nearest4(x, x, x, x, dim, t, h, blocks, result, i, single: true);
                }
            }
        });
        result.CopyTo(assignment);
    }

    /// <summary>
    /// The nearest centroid of four rows at once (each centroid load serves four rows): per lane, the running
    /// minimum of |c|^2 / 2 - x.c and its centroid, reduced across lanes once at the end.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Nearest4(float* x0, float* x1, float* x2, float* x3, int dim, float* transposed, float* halfNorms, int blocks, int[] result, int at, bool single = false)
    {
        var best0 = Vector256.Create(float.PositiveInfinity);
        var best1 = best0;
        var best2 = best0;
        var best3 = best0;
        var index0 = Vector256<int>.Zero;
        var index1 = index0;
        var index2 = index0;
        var index3 = index0;
        var lanes = Vector256.Create(0, 1, 2, 3, 4, 5, 6, 7);
        for (var b = 0; b < blocks; b++)
        {
            var h = Vector256.Load(halfNorms + b * 8);
            var a0 = h;
            var a1 = h;
            var a2 = h;
            var a3 = h;
            var t = transposed + (long)b * dim * 8;
            for (var j = 0; j < dim; j++)
            {
                var c = Vector256.Load(t + j * 8);
                a0 -= Vector256.Create(x0[j]) * c;
                a1 -= Vector256.Create(x1[j]) * c;
                a2 -= Vector256.Create(x2[j]) * c;
                a3 -= Vector256.Create(x3[j]) * c;
            }
            var ids = lanes + Vector256.Create(b * 8);
            var m0 = Vector256.LessThan(a0, best0);
            var m1 = Vector256.LessThan(a1, best1);
            var m2 = Vector256.LessThan(a2, best2);
            var m3 = Vector256.LessThan(a3, best3);
            best0 = Vector256.ConditionalSelect(m0, a0, best0);
            best1 = Vector256.ConditionalSelect(m1, a1, best1);
            best2 = Vector256.ConditionalSelect(m2, a2, best2);
            best3 = Vector256.ConditionalSelect(m3, a3, best3);
            index0 = Vector256.ConditionalSelect(m0.AsInt32(), ids, index0);
            index1 = Vector256.ConditionalSelect(m1.AsInt32(), ids, index1);
            index2 = Vector256.ConditionalSelect(m2.AsInt32(), ids, index2);
            index3 = Vector256.ConditionalSelect(m3.AsInt32(), ids, index3);
        }
        result[at] = Reduce(best0, index0);
        if (single) return;
        result[at + 1] = Reduce(best1, index1);
        result[at + 2] = Reduce(best2, index2);
        result[at + 3] = Reduce(best3, index3);
    }

    /// <summary>The centroid of the smallest lane (the lowest centroid on ties), without leaving the registers.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Reduce(Vector256<float> best, Vector256<int> index)
    {
        var min4 = Vector128.Min(best.GetLower(), best.GetUpper());
        var min2 = Vector128.Min(min4, Vector128.Shuffle(min4, Vector128.Create(2, 3, 0, 1)));
        var min1 = Vector128.Min(min2, Vector128.Shuffle(min2, Vector128.Create(1, 0, 3, 2)));
        var ties = Vector256.Equals(best, Vector256.Create(min1.ToScalar())).AsInt32();
        var ids = Vector256.ConditionalSelect(ties, index, Vector256.Create(int.MaxValue));
        var id4 = Vector128.Min(ids.GetLower(), ids.GetUpper());
        var id2 = Vector128.Min(id4, Vector128.Shuffle(id4, Vector128.Create(2, 3, 0, 1)));
        var id1 = Vector128.Min(id2, Vector128.Shuffle(id2, Vector128.Create(1, 0, 3, 2)));
        var winner = id1.ToScalar();
        return winner == int.MaxValue ? 0 : winner;
    }

    private static void CopyRow(float[] data, int stride, int offset, int dim, int row, Span<float> destination) =>
        data.AsSpan(row * stride + offset, dim).CopyTo(destination);

    /// <summary>A seeded sample of at most <paramref name="size"/> distinct rows of [0, rows).</summary>
    public static int[] Sample(int rows, int size, int seed)
    {
        if (size >= rows) return Enumerable.Range(0, rows).ToArray();
        var random = new Random(seed);
        var chosen = new HashSet<int>();
        while (chosen.Count < size) chosen.Add(random.Next(rows));
        var result = chosen.ToArray();
        Array.Sort(result);
        return result;
    }
}
