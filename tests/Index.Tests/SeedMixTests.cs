using MovieRecommender.Index;

namespace MovieRecommender.Index.Tests;

/// <summary>
/// Seeds of parts are the same in every process. The benchmark's data once seeded its chunks with
/// HashCode.Combine(seed, part), which .NET randomises per process: these values, fixed here, could not have held.
/// </summary>
public sealed class SeedMixTests
{
    [Fact]
    public void SplitMix64GivesVignasReferenceOutputs()
    {
        // The generator's first two outputs from state 0 (state += 0x9E3779B97F4A7C15 before each).
        Assert.Equal(0xE220A8397B1DCDAFUL, SeedMix.SplitMix64(0));
        Assert.Equal(0x6E789E6AA1B965F4UL, SeedMix.SplitMix64(0x9E3779B97F4A7C15UL));
    }

    [Theory]
    [InlineData(42, 0, 1966338424)]
    [InlineData(42, 1, 885758336)]
    [InlineData(42, 2, 629383753)]
    [InlineData(-1, 7, 750664580)]
    public void APartsSeedIsAFixedNonNegativeNumber(int seed, int part, int expected)
    {
        // SplitMix64((seed << 32) | part) >> 33, computed independently of this code.
        Assert.Equal(expected, SeedMix.Of(seed, part));
    }

    [Fact]
    public void PartsDrawDifferentSequences()
    {
        var seeds = Enumerable.Range(0, 1000).Select(part => SeedMix.Of(42, part)).ToHashSet();
        Assert.Equal(1000, seeds.Count);
        Assert.NotEqual(new Random(SeedMix.Of(42, 0)).Next(), new Random(SeedMix.Of(42, 1)).Next());
    }
}
