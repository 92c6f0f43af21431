using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace MovieRecommender.Index;

/// <summary>
/// Scans blocks of quantized codes for one prepared query and feeds the approximate scores to a
/// <see cref="CandidateHeap"/>, a chunk at a time (the chunk's scores stay in L1).
/// </summary>
internal abstract class CodeScanner
{
    protected const int ChunkRows = 2048;

    /// <summary>Rows per block: positions and list boundaries are multiples of it.</summary>
    public abstract int BlockRows { get; }

    /// <summary>Code bytes scanned per row.</summary>
    public abstract double BytesPerVector { get; }

    public abstract long CodeBytes { get; }

    /// <summary>Candidates reranked exactly for a query asking for K when nothing fixes K': coarser codes need more.</summary>
    public abstract int DefaultRerank(int k);

    public abstract PreparedQuery Prepare(ReadOnlySpan<float> query);

    /// <summary>
    /// Scans blocks [firstBlock, firstBlock + blocks), adding <paramref name="offset"/> to every score (an IVF list's
    /// centroid term when the codes hold residuals).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void ScanAll(PreparedQuery prepared, int rows, CandidateHeap heap, ReadOnlySpan<int> excludedIds, SimdLevel level)
    {
        // Positions are ids: padding past the last row and excluded ids are masked out of each chunk's scores
        // (the sorted exclusions walked alongside), so the heap takes the fast path.
        Span<int> scores = stackalloc int[ChunkRows];
        var chunkBlocks = ChunkRows / BlockRows;
        var blocks = (rows + BlockRows - 1) / BlockRows;
        var nextExcluded = 0;
        for (var b = 0; b < blocks; b += chunkBlocks)
        {
            var count = Math.Min(chunkBlocks, blocks - b);
            var chunk = scores[..(count * BlockRows)];
            ScoreBlocks(prepared, b, count, chunk, level);
            var first = b * BlockRows;
            var end = first + chunk.Length;
            if (end > rows) chunk[(rows - first)..].Fill(int.MinValue);
            while (nextExcluded < excludedIds.Length && excludedIds[nextExcluded] < end)
            {
                var id = excludedIds[nextExcluded++];
                if (id >= first) chunk[id - first] = int.MinValue;
            }
            heap.OfferMasked(chunk, first, level == SimdLevel.Portable);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Scan(PreparedQuery prepared, int firstBlock, int blocks, int offset, CandidateHeap heap, ReadOnlySpan<int> idMap, int validCount, Exclusions exclusions, SimdLevel level)
    {
        Span<int> scores = stackalloc int[ChunkRows];
        var chunkBlocks = ChunkRows / BlockRows;
        for (var b = 0; b < blocks; b += chunkBlocks)
        {
            var count = Math.Min(chunkBlocks, blocks - b);
            var chunk = scores[..(count * BlockRows)];
            ScoreBlocks(prepared, firstBlock + b, count, chunk, level);
            if (offset != 0) AddOffset(chunk, offset);
            heap.OfferChunk(chunk, (firstBlock + b) * BlockRows, idMap, validCount, exclusions, level == SimdLevel.Portable);
        }
    }

    /// <summary>Adds a list's centroid term to every score of a chunk, eight at a time.</summary>
    private static void AddOffset(Span<int> scores, int offset)
    {
        var i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            ref var s = ref MemoryMarshal.GetReference(scores);
            var add = Vector256.Create(offset);
            for (; i + 8 <= scores.Length; i += 8) (Vector256.LoadUnsafe(ref s, (nuint)i) + add).StoreUnsafe(ref s, (nuint)i);
        }
        for (; i < scores.Length; i++) scores[i] += offset;
    }

    protected abstract void ScoreBlocks(PreparedQuery prepared, int firstBlock, int blocks, Span<int> scores, SimdLevel level);
}

/// <summary>
/// A query in a scanner's integer form. <see cref="Scale"/>: integer score units per unit of inner product, so
/// that a float term (an IVF centroid's dot product) can be added to the integer scores.
/// </summary>
internal sealed record PreparedQuery(object Codes, float Scale)
{
    public int ToScoreUnits(float innerProduct) => (int)Math.Clamp(Math.Round(innerProduct * (double)Scale), -1e9, 1e9);
}

/// <summary>int8 codes behind the <see cref="CodeScanner"/> interface.</summary>
internal sealed class Int8Scanner(Int8Codes codes) : CodeScanner
{
    public override int BlockRows => Int8Codes.BlockRows;

    public override double BytesPerVector => codes.Groups * 4;

    public override long CodeBytes => codes.Codes.LongLength + codes.Scales.Length * sizeof(float);

    // int8 ranks almost exactly: in the index benchmark (1M x 64) 2K candidates recalled what 5K and 20K did, flat or
    // IVF, and each reranked row costs a scattered float32 row read.
    public override int DefaultRerank(int k) => Math.Max(2 * k, 16);

    /// <summary>int8 codes of <paramref name="encoded"/> in scan order (position p holds row <c>order[p]</c>, or row p when null).</summary>
    public static Int8Scanner Encode(float[] encoded, int dim, int[]? order, int positions, int threads) =>
        new(Int8Codes.Encode(encoded, dim, Int8Codes.ComputeScales(encoded, dim), order, positions, threads));

    public override PreparedQuery Prepare(ReadOnlySpan<float> query)
    {
        var packed = Int8Scan.QuantizeQuery(query, codes.Scales, codes.Groups, out var scale);
        return new PreparedQuery(packed, scale);
    }

    protected override void ScoreBlocks(PreparedQuery prepared, int firstBlock, int blocks, Span<int> scores, SimdLevel level) =>
        Int8Scan.Score(codes.Codes, codes.Groups, firstBlock, blocks, (int[])prepared.Codes, scores, level);
}

/// <summary>PQ4 codes behind the <see cref="CodeScanner"/> interface.</summary>
internal sealed class Pq4Scanner(ProductQuantizer quantizer, FastScanCodes codes) : CodeScanner
{
    public override int BlockRows => FastScanCodes.BlockRows;

    public int Subspaces => quantizer.Subspaces;

    public override double BytesPerVector => quantizer.Subspaces / 2.0;

    public override long CodeBytes => codes.Packed.LongLength + quantizer.Codebooks.Length * sizeof(float);

    public override int DefaultRerank(int k) => Math.Max(20 * k, 256);

    /// <summary>
    /// Trains the codebooks on a sample of <paramref name="encoded"/> and packs its codes in scan order (position p
    /// holds row <c>order[p]</c>, or row p when null).
    /// </summary>
    public static Pq4Scanner Train(float[] encoded, int dim, int rows, int[]? order, int positions, IndexOptions options, int threads)
    {
        var subspaces = options.PqSubspaces ?? ProductQuantizer.DefaultSubspaces(dim);
        var sample = KMeans.Sample(rows, options.TrainingSample, options.Seed + 1);
        var quantizer = ProductQuantizer.Train(encoded, dim, subspaces, sample, options.KMeansIterations, options.Seed, threads);
        var codes = quantizer.Encode(encoded, threads);
        return new Pq4Scanner(quantizer, FastScanCodes.Pack(codes, subspaces, rows, order, positions, threads));
    }

    public override PreparedQuery Prepare(ReadOnlySpan<float> query)
    {
        var lut = FastScanLut16.QuantizeTable(quantizer.LookupTable(query), quantizer.Subspaces, out var scale);
        return new PreparedQuery(lut, scale);
    }

    protected override void ScoreBlocks(PreparedQuery prepared, int firstBlock, int blocks, Span<int> scores, SimdLevel level) =>
        FastScanLut16.Score(codes.Packed, quantizer.Subspaces, firstBlock, blocks, (byte[])prepared.Codes, scores, level);
}
