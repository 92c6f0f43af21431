using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace MovieRecommender.Index;

/// <summary>
/// The PQ4 scan: the query's per-subspace tables quantized to u8 (one scale, a bias per subspace), and 32 rows
/// scored at a time by <c>vpshufb</c> lookups summed in u16 lanes. The portable kernel computes the same sums.
/// </summary>
internal static unsafe class FastScanLut16
{
    /// <summary>M x 16 u8 entries: round((t - min_m) / delta), delta = the largest subspace range / 255.</summary>
    public static byte[] QuantizeTable(float[] table, int subspaces) => QuantizeTable(table, subspaces, out _);

    /// <param name="units">Integer score units per unit of inner product (255 / the largest range).</param>
    public static byte[] QuantizeTable(float[] table, int subspaces, out float units)
    {
        var range = 0f;
        for (var m = 0; m < subspaces; m++)
        {
            var row = table.AsSpan(m * 16, 16);
            range = Math.Max(range, Max(row) - Min(row));
        }
        var scale = range > 0 ? 255f / range : 0f;
        units = scale;
        var lut = new byte[subspaces * 16];
        for (var m = 0; m < subspaces; m++)
        {
            var row = table.AsSpan(m * 16, 16);
            var min = Min(row);
            for (var c = 0; c < 16; c++) lut[m * 16 + c] = (byte)Math.Clamp((int)MathF.Round((row[c] - min) * scale), 0, 255);
        }
        return lut;
    }

    /// <summary>Scores blocks [firstBlock, firstBlock + blocks) into scores (32 per block).</summary>
    public static void Score(byte[] packed, int subspaces, int firstBlock, int blocks, byte[] lut, Span<int> scores, SimdLevel level)
    {
        if (blocks == 0) return;
        var blockBytes = subspaces / 2 * FastScanCodes.PairBytes;
        fixed (byte* c = packed)
        fixed (byte* t = lut)
        fixed (int* s = scores)
        {
            var start = c + (long)firstBlock * blockBytes;
            if (level >= SimdLevel.Avx512 && subspaces % 4 == 0) ScoreAvx512(start, subspaces / 2, blocks, t, s);
            else if (level >= SimdLevel.Avx2) ScoreAvx2(start, subspaces / 2, blocks, t, s);
            else ScorePortable(start, subspaces / 2, blocks, t, s);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ScoreAvx2(byte* codes, int pairs, int blocks, byte* lut, int* scores)
    {
        var nibble = Vector256.Create((byte)0x0F);
        var blockBytes = pairs * FastScanCodes.PairBytes;
        for (var b = 0; b < blocks; b++)
        {
            var p = codes + (long)b * blockBytes;
            // Low nibbles are rows 0-15, high nibbles rows 16-31. Each u16 lane sums two rows' u8 lookups (even row
            // in the low byte); a second accumulator of the high bytes recovers both.
            var lo = Vector256<ushort>.Zero;
            var loOdd = Vector256<ushort>.Zero;
            var hi = Vector256<ushort>.Zero;
            var hiOdd = Vector256<ushort>.Zero;
            for (var pair = 0; pair < pairs; pair++)
            {
                var c = Avx.LoadVector256(p + pair * FastScanCodes.PairBytes);
                var table = Avx.LoadVector256(lut + pair * FastScanCodes.PairBytes);
                var rLo = Avx2.Shuffle(table, Avx2.And(c, nibble)).AsUInt16();
                var rHi = Avx2.Shuffle(table, Avx2.And(Avx2.ShiftRightLogical(c.AsUInt16(), 4).AsByte(), nibble)).AsUInt16();
                lo = Avx2.Add(lo, rLo);
                loOdd = Avx2.Add(loOdd, Avx2.ShiftRightLogical(rLo, 8));
                hi = Avx2.Add(hi, rHi);
                hiOdd = Avx2.Add(hiOdd, Avx2.ShiftRightLogical(rHi, 8));
            }
            // Even rows: the full sum minus 256 x the odd rows' (mod 2^16, exact while sums stay below 2^16).
            var loEven = Avx2.Subtract(lo, Avx2.ShiftLeftLogical(loOdd, 8));
            var hiEven = Avx2.Subtract(hi, Avx2.ShiftLeftLogical(hiOdd, 8));
            // The two 128-bit halves hold the even and the odd subspaces of the same rows: add them.
            Store(scores + b * 32, loEven.GetLower() + loEven.GetUpper(), loOdd.GetLower() + loOdd.GetUpper());
            Store(scores + b * 32 + 16, hiEven.GetLower() + hiEven.GetUpper(), hiOdd.GetLower() + hiOdd.GetUpper());
        }
    }

    /// <summary>The AVX2 kernel on 512-bit registers: one load and one table register cover two pairs of subspaces.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ScoreAvx512(byte* codes, int pairs, int blocks, byte* lut, int* scores)
    {
        var nibble = Vector512.Create((byte)0x0F);
        var blockBytes = pairs * FastScanCodes.PairBytes;
        for (var b = 0; b < blocks; b++)
        {
            var p = codes + (long)b * blockBytes;
            var lo = Vector512<ushort>.Zero;
            var loOdd = Vector512<ushort>.Zero;
            var hi = Vector512<ushort>.Zero;
            var hiOdd = Vector512<ushort>.Zero;
            for (var pair = 0; pair < pairs; pair += 2)
            {
                var c = Vector512.Load(p + pair * FastScanCodes.PairBytes);
                var table = Vector512.Load(lut + pair * FastScanCodes.PairBytes);
                var rLo = Avx512BW.Shuffle(table, c & nibble).AsUInt16();
                var rHi = Avx512BW.Shuffle(table, Vector512.ShiftRightLogical(c.AsUInt16(), 4).AsByte() & nibble).AsUInt16();
                lo += rLo;
                loOdd += Vector512.ShiftRightLogical(rLo, 8);
                hi += rHi;
                hiOdd += Vector512.ShiftRightLogical(rHi, 8);
            }
            var loEven = lo - Vector512.ShiftLeft(loOdd, 8);
            var hiEven = hi - Vector512.ShiftLeft(hiOdd, 8);
            // Four 128-bit lanes, four subspaces of the same rows: add them.
            Store(scores + b * 32, SumLanes(loEven), SumLanes(loOdd));
            Store(scores + b * 32 + 16, SumLanes(hiEven), SumLanes(hiOdd));
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<ushort> SumLanes(Vector512<ushort> v)
    {
        var half = v.GetLower() + v.GetUpper();
        return half.GetLower() + half.GetUpper();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store(int* destination, Vector128<ushort> even, Vector128<ushort> odd)
    {
        // even = rows 0, 2, ..., 14; odd = rows 1, 3, ..., 15: interleave, widen to int32.
        var first = Sse2.UnpackLow(even, odd);
        var second = Sse2.UnpackHigh(even, odd);
        Avx.Store(destination, Avx2.ConvertToVector256Int32(first));
        Avx.Store(destination + 8, Avx2.ConvertToVector256Int32(second));
    }

    private static void ScorePortable(byte* codes, int pairs, int blocks, byte* lut, int* scores)
    {
        var blockBytes = pairs * FastScanCodes.PairBytes;
        for (var b = 0; b < blocks; b++)
        {
            var p = codes + (long)b * blockBytes;
            for (var r = 0; r < FastScanCodes.BlockRows; r++)
            {
                var sum = 0;
                for (var m = 0; m < pairs * 2; m++)
                {
                    var packed = p[(m >> 1) * FastScanCodes.PairBytes + (m & 1) * 16 + (r & 15)];
                    var code = r < 16 ? packed & 0x0F : packed >> 4;
                    sum += lut[m * 16 + code];
                }
                scores[b * 32 + r] = sum;
            }
        }
    }

    private static float Min(ReadOnlySpan<float> values)
    {
        var min = float.PositiveInfinity;
        foreach (var v in values) min = Math.Min(min, v);
        return min;
    }

    private static float Max(ReadOnlySpan<float> values)
    {
        var max = float.NegativeInfinity;
        foreach (var v in values) max = Math.Max(max, v);
        return max;
    }
}
