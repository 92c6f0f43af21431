using System.Runtime.Intrinsics.X86;

namespace MovieRecommender.Index;

/// <summary>The instruction set the integer scan kernels use. Every level computes the same integer scores.</summary>
public enum SimdLevel
{
    /// <summary>Plain scalar code: any CPU, and the reference the SIMD kernels must match.</summary>
    Portable = 0,

    /// <summary>AVX2: <c>vpmaddwd</c> on widened codes for int8, <c>vpshufb</c> lookups for PQ4.</summary>
    Avx2 = 1,

    /// <summary>AVX-VNNI: <c>vpdpbusd</c> (u8 x s8, four products per int32 lane) for int8; AVX2 for PQ4.</summary>
    AvxVnni = 2,

    /// <summary>AVX-VNNI for int8 (memory-bound: wider registers gain nothing) and AVX-512 BW <c>vpshufb</c> on 64 bytes for PQ4.</summary>
    Avx512 = 3,
}

/// <summary>Which <see cref="SimdLevel"/> this CPU runs, chosen at run time.</summary>
public static class SimdSupport
{
    /// <summary>The best level this CPU supports.</summary>
    public static SimdLevel Best { get; } =
        Avx2.IsSupported && AvxVnni.IsSupported && Avx512BW.IsSupported ? SimdLevel.Avx512
        : Avx2.IsSupported && AvxVnni.IsSupported ? SimdLevel.AvxVnni
        : Avx2.IsSupported ? SimdLevel.Avx2
        : SimdLevel.Portable;

    /// <summary>The requested level (null: the best), refused when this CPU lacks it.</summary>
    public static SimdLevel Resolve(SimdLevel? requested)
    {
        var level = requested ?? Best;
        if (level > Best)
            throw new NotSupportedException($"SIMD level {level} was requested but this CPU supports at most {Best}.");
        return level;
    }
}
