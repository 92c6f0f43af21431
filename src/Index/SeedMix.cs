namespace MovieRecommender.Index;

/// <summary>
/// Derives the seed of a part (a chunk, a subspace) from a run's seed with SplitMix64, the same in every process.
/// Not <see cref="HashCode.Combine{T1, T2}(T1, T2)"/> nor <see cref="string.GetHashCode()"/>: .NET randomises those per
/// process, so "seed 42" would draw different data in two runs.
/// </summary>
public static class SeedMix
{
    /// <summary>Vigna's SplitMix64 output for state <paramref name="x"/>: 0 gives 0xE220A8397B1DCDAF.</summary>
    public static ulong SplitMix64(ulong x)
    {
        var z = x + 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>A non-negative seed for part <paramref name="part"/> of a run seeded with <paramref name="seed"/>.</summary>
    public static int Of(int seed, int part) => (int)(SplitMix64(((ulong)(uint)seed << 32) | (uint)part) >> 33);
}
