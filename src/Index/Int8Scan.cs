using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace MovieRecommender.Index;

/// <summary>
/// The int8 scan: integer dot products of u8 codes with an s8 query, eight rows per 256-bit register.
/// All three kernels (AVX-VNNI, AVX2, portable) compute the same exact int32 sums, so they rank identically.
/// </summary>
internal static unsafe class Int8Scan
{

    /// <summary>
    /// Folds the scales into the query (q_j * s_j) and quantizes it to s8 with one scale; returns four s8 per int,
    /// one int per group of four dimensions. The u8 offset of the codes adds 128 * sum(q8) to every row: a
    /// constant, so it does not change the ranking.
    /// </summary>
    public static int[] QuantizeQuery(ReadOnlySpan<float> query, float[] scales, int groups) => QuantizeQuery(query, scales, groups, out _);

    /// <param name="scale">Integer score units per unit of inner product (127 / max |q_j s_j|).</param>
    public static int[] QuantizeQuery(ReadOnlySpan<float> query, float[] scales, int groups, out float scale)
    {
        var scaled = new float[groups * 4];
        var max = 0f;
        for (var j = 0; j < query.Length; j++)
        {
            scaled[j] = query[j] * scales[j];
            max = Math.Max(max, Math.Abs(scaled[j]));
        }
        var inverse = max > 0 ? 127f / max : 0f;
        scale = inverse;
        var packed = new int[groups];
        for (var g = 0; g < groups; g++)
        {
            var word = 0u;
            for (var t = 0; t < 4; t++)
            {
                var q = (sbyte)Math.Clamp((int)MathF.Round(scaled[g * 4 + t] * inverse), -127, 127);
                word |= (uint)(byte)q << (8 * t);
            }
            packed[g] = (int)word;
        }
        return packed;
    }

    /// <summary>Scores blocks [firstBlock, firstBlock + blocks) into scores (8 per block).</summary>
    public static void Score(byte[] codes, int groups, int firstBlock, int blocks, int[] query, Span<int> scores, SimdLevel level)
    {
        if (blocks == 0) return;
        fixed (byte* c = codes)
        fixed (int* q = query)
        fixed (int* s = scores)
        {
            var start = c + (long)firstBlock * groups * Int8Codes.GroupBytes;
            switch (level)
            {
                case SimdLevel.AvxVnni or SimdLevel.Avx512:
                    ScoreVnni(start, groups, blocks, q, s);
                    break;
                case SimdLevel.Avx2:
                    ScoreAvx2(start, groups, blocks, q, s);
                    break;
                default:
                    ScorePortable(start, groups, blocks, q, s);
                    break;
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ScoreVnni(byte* codes, int groups, int blocks, int* query, int* scores)
    {
        var blockBytes = groups * Int8Codes.GroupBytes;
        var q = stackalloc Vector256<sbyte>[groups];
        for (var g = 0; g < groups; g++) q[g] = Vector256.Create(query[g]).AsSByte();
        for (var b = 0; b < blocks; b++)
        {
            var p = codes + (long)b * blockBytes;
            var acc0 = Vector256<int>.Zero;
            var acc1 = Vector256<int>.Zero;
            var acc2 = Vector256<int>.Zero;
            var acc3 = Vector256<int>.Zero;
            var g = 0;
            for (; g + 4 <= groups; g += 4)
            {
                var d = p + g * Int8Codes.GroupBytes;
                acc0 = AvxVnni.MultiplyWideningAndAdd(acc0, Avx.LoadVector256(d), q[g]);
                acc1 = AvxVnni.MultiplyWideningAndAdd(acc1, Avx.LoadVector256(d + 32), q[g + 1]);
                acc2 = AvxVnni.MultiplyWideningAndAdd(acc2, Avx.LoadVector256(d + 64), q[g + 2]);
                acc3 = AvxVnni.MultiplyWideningAndAdd(acc3, Avx.LoadVector256(d + 96), q[g + 3]);
            }
            for (; g < groups; g++)
                acc0 = AvxVnni.MultiplyWideningAndAdd(acc0, Avx.LoadVector256(p + g * Int8Codes.GroupBytes), q[g]);
            Avx.Store(scores + b * 8, Avx2.Add(Avx2.Add(acc0, acc1), Avx2.Add(acc2, acc3)));
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ScoreAvx2(byte* codes, int groups, int blocks, int* query, int* scores)
    {
        // Exact emulation of vpdpbusd: split the u8 codes into even and odd bytes as int16 (no saturation), and
        // the query into matching int16 pairs, then vpmaddwd sums two products per int32 lane.
        var blockBytes = groups * Int8Codes.GroupBytes;
        var even = stackalloc Vector256<short>[groups];
        var odd = stackalloc Vector256<short>[groups];
        for (var g = 0; g < groups; g++)
        {
            var w = (uint)query[g];
            var q0 = (short)(sbyte)(w & 0xFF);
            var q1 = (short)(sbyte)((w >> 8) & 0xFF);
            var q2 = (short)(sbyte)((w >> 16) & 0xFF);
            var q3 = (short)(sbyte)(w >> 24);
            even[g] = Vector256.Create((int)((ushort)q0 | ((uint)(ushort)q2 << 16))).AsInt16();
            odd[g] = Vector256.Create((int)((ushort)q1 | ((uint)(ushort)q3 << 16))).AsInt16();
        }
        var lowMask = Vector256.Create((short)0x00FF);
        for (var b = 0; b < blocks; b++)
        {
            var p = codes + (long)b * blockBytes;
            var acc0 = Vector256<int>.Zero;
            var acc1 = Vector256<int>.Zero;
            for (var g = 0; g < groups; g++)
            {
                var d = Avx.LoadVector256(p + g * Int8Codes.GroupBytes).AsInt16();
                acc0 = Avx2.Add(acc0, Avx2.MultiplyAddAdjacent(Avx2.And(d, lowMask), even[g]));
                acc1 = Avx2.Add(acc1, Avx2.MultiplyAddAdjacent(Avx2.ShiftRightLogical(d, 8), odd[g]));
            }
            Avx.Store(scores + b * 8, Avx2.Add(acc0, acc1));
        }
    }

    private static void ScorePortable(byte* codes, int groups, int blocks, int* query, int* scores)
    {
        var q = stackalloc sbyte[groups * 4];
        for (var g = 0; g < groups; g++)
        {
            var w = (uint)query[g];
            for (var t = 0; t < 4; t++) q[g * 4 + t] = (sbyte)((w >> (8 * t)) & 0xFF);
        }
        var blockBytes = groups * Int8Codes.GroupBytes;
        for (var b = 0; b < blocks; b++)
        {
            var p = codes + (long)b * blockBytes;
            for (var r = 0; r < Int8Codes.BlockRows; r++)
            {
                var sum = 0;
                for (var g = 0; g < groups; g++)
                {
                    var d = p + g * Int8Codes.GroupBytes + r * 4;
                    var qg = q + g * 4;
                    sum += d[0] * qg[0] + d[1] * qg[1] + d[2] * qg[2] + d[3] * qg[3];
                }
                scores[b * 8 + r] = sum;
            }
        }
    }
}
