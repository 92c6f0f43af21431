namespace MovieRecommender.Index;

/// <summary>
/// int8 codes: each component quantized to int8 with a per-dimension scale (max |x| / 127), stored as
/// u8 = code + 128 so AVX-VNNI's u8 x s8 product applies. Layout: blocks of 8 rows; inside a block, per group of
/// four dimensions, 32 bytes (row r's four codes at bytes 4r..4r+3). One 32-byte load then feeds eight rows'
/// int32 accumulators at once and the scan never reduces horizontally.
/// </summary>
internal sealed class Int8Codes
{
    public const int BlockRows = 8;
    public const int GroupBytes = 32;

    private Int8Codes(int dim, float[] scales, byte[] codes, int positions)
    {
        Dim = dim;
        Groups = (dim + 3) / 4;
        Scales = scales;
        Codes = codes;
        Positions = positions;
    }

    public int Dim { get; }

    /// <summary>Groups of four dimensions (the dimension padded up to a multiple of 4).</summary>
    public int Groups { get; }

    public float[] Scales { get; }

    public byte[] Codes { get; }

    /// <summary>Scan positions, a multiple of <see cref="BlockRows"/>.</summary>
    public int Positions { get; }

    public int BlockBytes => Groups * GroupBytes;

    public static float[] ComputeScales(ReadOnlySpan<float> vectors, int dim)
    {
        var maxAbs = new float[dim];
        for (var i = 0; i < vectors.Length; i++)
        {
            var j = i % dim;
            var a = Math.Abs(vectors[i]);
            if (a > maxAbs[j]) maxAbs[j] = a;
        }
        for (var j = 0; j < dim; j++) maxAbs[j] = maxAbs[j] > 0 ? maxAbs[j] / 127f : 1f;
        return maxAbs;
    }

    /// <summary>
    /// Encodes rows into scan order: position p holds row <c>order[p]</c> (negative: a zero padding row), or row p
    /// when <paramref name="order"/> is null. Positions are padded up to whole blocks.
    /// </summary>
    public static Int8Codes Encode(float[] vectors, int dim, float[] scales, int[]? order, int positions, int threads)
    {
        var padded = (positions + BlockRows - 1) / BlockRows * BlockRows;
        var groups = (dim + 3) / 4;
        var codes = new byte[(long)padded * groups * 4 > int.MaxValue ? throw new NotSupportedException("Shard too large for one code array.") : padded * groups * 4];
        Array.Fill(codes, (byte)128);
        var rows = vectors.Length / dim;
        var inverse = new float[dim];
        for (var j = 0; j < dim; j++) inverse[j] = 1f / scales[j];
        var blocks = padded / BlockRows;
        Parallel.For(0, blocks, new ParallelOptions { MaxDegreeOfParallelism = threads }, b =>
        {
            var blockBase = b * groups * GroupBytes;
            for (var r = 0; r < BlockRows; r++)
            {
                var p = b * BlockRows + r;
                var row = order is null ? (p < rows ? p : -1) : (p < order.Length ? order[p] : -1);
                if (row < 0) continue;
                var x = vectors.AsSpan(row * dim, dim);
                for (var j = 0; j < dim; j++)
                {
                    var c = (int)MathF.Round(x[j] * inverse[j]);
                    c = Math.Clamp(c, -127, 127);
                    codes[blockBase + (j >> 2) * GroupBytes + r * 4 + (j & 3)] = (byte)(c + 128);
                }
            }
        });
        return new Int8Codes(dim, scales, codes, padded);
    }
}
