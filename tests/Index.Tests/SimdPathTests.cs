using MovieRecommender.Index;

namespace MovieRecommender.Index.Tests;

/// <summary>
/// The portable path (a CPU without AVX, forced by an option) against the SIMD kernels this CPU has: the integer
/// scores, and so the results, must be identical.
/// </summary>
public sealed class SimdPathTests
{
    private const int Dim = 24;
    private static readonly float[] Vectors = IndexTestData.Clustered(5_000, Dim, seed: 7);
    private static readonly float[] Queries = IndexTestData.Clustered(20, Dim, seed: 8);

    public static TheoryData<string> ApproximateSpecs => new() { "int8:rerank=20", "pq4:rerank=20", "ivf-int8:lists=70,probe=10,rerank=20", "ivf-pq4:lists=70,probe=10,rerank=20" };

    [Theory]
    [MemberData(nameof(ApproximateSpecs))]
    public void ThePortablePathGivesIdenticalResults(string spec)
    {
        var simd = VectorIndex.Build(Vectors, Dim, IndexSpec.Parse(spec));
        var portable = VectorIndex.Build(Vectors, Dim, IndexSpec.Parse(spec), new IndexOptions { Simd = SimdLevel.Portable });
        Assert.Equal(SimdSupport.Best, simd.Simd);
        Assert.Equal(SimdLevel.Portable, portable.Simd);
        for (var q = 0; q < Queries.Length / Dim; q++)
        {
            var query = Queries.AsSpan(q * Dim, Dim);
            Assert.Equal(simd.Search(query, 10, [3, 5]), portable.Search(query, 10, [3, 5]));
        }
    }

    [Fact]
    public void EveryInt8KernelComputesTheSameIntegerScores()
    {
        var scales = Int8Codes.ComputeScales(Vectors, Dim);
        var codes = Int8Codes.Encode(Vectors, Dim, scales, null, Vectors.Length / Dim, 1);
        var query = Int8Scan.QuantizeQuery(Queries.AsSpan(0, Dim), scales, codes.Groups);
        var blocks = codes.Positions / Int8Codes.BlockRows;
        var reference = new int[codes.Positions];
        Int8Scan.Score(codes.Codes, codes.Groups, 0, blocks, query, reference, SimdLevel.Portable);
        for (var level = SimdLevel.Avx2; level <= SimdSupport.Best; level++)
        {
            var scores = new int[codes.Positions];
            Int8Scan.Score(codes.Codes, codes.Groups, 0, blocks, query, scores, level);
            Assert.Equal(reference, scores);
        }
        // The integer score approximates the exact dot product (up to one positive scale and a constant offset).
        Assert.NotEqual(reference[0], reference[1]);
    }

    [Fact]
    public void EveryPq4KernelComputesTheSameLookupSums()
    {
        const int subspaces = Dim / 2;
        var quantizer = ProductQuantizer.Train(Vectors, Dim, subspaces, KMeans.Sample(Vectors.Length / Dim, 2000, 1), 5, 1, 1);
        var packed = FastScanCodes.Pack(quantizer.Encode(Vectors, 1), subspaces, Vectors.Length / Dim, null, Vectors.Length / Dim, 1);
        var lut = FastScanLut16.QuantizeTable(quantizer.LookupTable(Queries.AsSpan(0, Dim)), subspaces);
        var blocks = packed.Positions / FastScanCodes.BlockRows;
        var reference = new int[packed.Positions];
        FastScanLut16.Score(packed.Packed, subspaces, 0, blocks, lut, reference, SimdLevel.Portable);
        for (var level = SimdLevel.Avx2; level <= SimdSupport.Best; level++)
        {
            var scores = new int[packed.Positions];
            FastScanLut16.Score(packed.Packed, subspaces, 0, blocks, lut, scores, level);
            Assert.Equal(reference, scores);
        }
        Assert.Contains(reference, s => s > 0);
    }

    [Fact]
    public void ThePortableFloatDotMatchesTheSimdOneBitForBit()
    {
        for (var n = 0; n < 70; n++)
        {
            var a = Vectors.AsSpan(0, n);
            var b = Vectors.AsSpan(1000, n);
            Assert.Equal(FloatDot.Dot(a, b), FloatDot.Dot(a, b, portable: true));
        }
    }

    [Fact]
    public void ALevelTheCpuLacksIsRefused()
    {
        if (SimdSupport.Best == SimdLevel.Avx512) return;
        var error = Assert.Throws<NotSupportedException>(() => VectorIndex.Build(Vectors, Dim, IndexSpec.Auto, new IndexOptions { Simd = SimdLevel.Avx512 }));
        Assert.Contains("supports at most", error.Message);
    }
}
