using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace MovieRecommender.Index;

/// <summary>
/// IVF partitioning: k-means centroids (about 2 sqrt(N) lists), rows regrouped list by list in scan order (each
/// list padded to whole code blocks), and a map from scan position to row. A query probes the lists whose
/// centroids have the highest inner product with it.
/// </summary>
internal sealed class IvfLists
{
    private readonly float[] _transposed;

    private IvfLists(int dim, float[] centroids, int[] firstBlock, int[] blocks, int[] positionToRow)
    {
        var count = firstBlock.Length;
        _transposed = new float[(count + 7) / 8 * dim * 8];
        for (var c = 0; c < count; c++)
        {
            for (var j = 0; j < dim; j++) _transposed[((c >> 3) * dim + j) * 8 + (c & 7)] = centroids[c * dim + j];
        }
        Dim = dim;
        Centroids = centroids;
        FirstBlock = firstBlock;
        Blocks = blocks;
        PositionToRow = positionToRow;
    }

    public int Dim { get; }

    public int Count => FirstBlock.Length;

    public float[] Centroids { get; }

    public int[] FirstBlock { get; }

    public int[] Blocks { get; }

    /// <summary>Each row minus its list's centroid: what the codes encode, so they quantize a smaller range.</summary>
    public float[] Residuals(float[] vectors, int[] assignment, int threads)
    {
        var residuals = new float[vectors.Length];
        Parallel.For(0, assignment.Length / 1024 + 1, new ParallelOptions { MaxDegreeOfParallelism = threads }, part =>
        {
            var end = Math.Min(assignment.Length, (part + 1) * 1024);
            for (var r = part * 1024; r < end; r++)
            {
                var c = Centroids.AsSpan(assignment[r] * Dim, Dim);
                var x = vectors.AsSpan(r * Dim, Dim);
                var y = residuals.AsSpan(r * Dim, Dim);
                for (var j = 0; j < Dim; j++) y[j] = x[j] - c[j];
            }
        });
        return residuals;
    }

    /// <summary>Scan position to row, -1 for padding.</summary>
    public int[] PositionToRow { get; }

    public static int DefaultLists(int rows) => Math.Max(1, (int)Math.Round(2 * Math.Sqrt(rows)));

    public static int DefaultProbe(int lists) => Math.Max(1, (int)Math.Ceiling(lists * 0.04));

    /// <param name="assignment">Each row's list.</param>
    public static IvfLists Build(float[] vectors, int dim, int lists, int blockRows, IndexOptions options, int threads, out int[] assignment)
    {
        var rows = vectors.Length / dim;
        if (rows == 0)
        {
            assignment = [];
            return new IvfLists(dim, new float[dim], [0], [0], []);
        }
        lists = Math.Clamp(lists, 1, rows);
        // At least ~30 rows per centroid to train on, within the configured sample.
        var sample = KMeans.Sample(rows, Math.Max(options.TrainingSample, Math.Min(rows, lists * 32)), options.Seed);
        var centroids = KMeans.Train(vectors, dim, 0, dim, sample, lists, options.KMeansIterations, options.Seed, threads);
        assignment = new int[rows];
        KMeans.Assign(vectors, dim, 0, dim, default, centroids, lists, assignment, threads);

        var sizes = new int[lists];
        foreach (var a in assignment) sizes[a]++;
        var firstBlock = new int[lists];
        var blocks = new int[lists];
        var totalBlocks = 0;
        for (var l = 0; l < lists; l++)
        {
            firstBlock[l] = totalBlocks;
            blocks[l] = (sizes[l] + blockRows - 1) / blockRows;
            totalBlocks += blocks[l];
        }
        var map = new int[checked(totalBlocks * blockRows)];
        Array.Fill(map, -1);
        var fill = new int[lists];
        for (var r = 0; r < rows; r++)
        {
            var l = assignment[r];
            map[firstBlock[l] * blockRows + fill[l]++] = r;
        }
        return new IvfLists(dim, centroids, firstBlock, blocks, map);
    }

    /// <summary>How long a buffer <see cref="CentroidScores"/> fills: the lists, rounded up to a block of eight.</summary>
    public int CentroidScoreLength => (Count + 7) / 8 * 8;

    /// <summary>
    /// The query's inner product with every centroid, eight centroids per register (no horizontal sums), into
    /// <paramref name="scores"/> (at least <see cref="CentroidScoreLength"/> long). The caller rents it: allocated per
    /// query, it was a quarter of a silo's allocations under load.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void CentroidScores(ReadOnlySpan<float> query, Span<float> scores)
    {
        var blocks = (Count + 7) / 8;
        var transposed = _transposed;
        for (var b = 0; b < blocks; b++)
        {
            var t = transposed.AsSpan(b * Dim * 8, Dim * 8);
            var acc = Vector256<float>.Zero;
            for (var j = 0; j < Dim; j++) acc += Vector256.Create(query[j]) * Vector256.Create<float>(t.Slice(j * 8, 8));
            acc.CopyTo(scores.Slice(b * 8, 8));
        }
    }

    /// <summary>
    /// The <paramref name="count"/> lists with the highest centroid scores, best first in <see cref="TopKOrder"/> (the
    /// lower list on equal scores). A query probes a few percent of the lists: a bounded heap, one compare per list
    /// and no allocation but the answer; asking for every list sorts them all.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public int[] BestLists(float[] centroidScores, int count)
    {
        count = Math.Clamp(count, 0, Count);
        if (count == 0) return [];
        var heap = new int[count];
        var size = 0;
        for (var l = 0; l < Count; l++)
        {
            var score = centroidScores[l];
            if (size < count)
            {
                // Sift up: the root stays the worst list held.
                var i = size++;
                while (i > 0)
                {
                    var parent = (i - 1) >> 1;
                    if (!TopKOrder.IsBetter(centroidScores[heap[parent]], heap[parent], score, l)) break;
                    heap[i] = heap[parent];
                    i = parent;
                }
                heap[i] = l;
            }
            else if (TopKOrder.IsBetter(score, l, centroidScores[heap[0]], heap[0]))
            {
                var i = 0;
                while (true)
                {
                    var child = 2 * i + 1;
                    if (child >= size) break;
                    if (child + 1 < size && TopKOrder.IsBetter(centroidScores[heap[child]], heap[child], centroidScores[heap[child + 1]], heap[child + 1])) child++;
                    if (!TopKOrder.IsBetter(score, l, centroidScores[heap[child]], heap[child])) break;
                    heap[i] = heap[child];
                    i = child;
                }
                heap[i] = l;
            }
        }
        Array.Sort(heap, (x, y) => TopKOrder.BestFirst(centroidScores[x], x, centroidScores[y], y));
        return heap;
    }
}
