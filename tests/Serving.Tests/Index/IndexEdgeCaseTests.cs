using MovieRecommender.Index;

namespace MovieRecommender.Serving.Tests.Index;

/// <summary>Exclusion, tiny and empty shards, K beyond the shard, and refused input, for every tier.</summary>
public sealed class MipsIndexEdgeCaseTests
{
    public static TheoryData<IndexTier> Tiers => new() { IndexTier.Exact, IndexTier.Int8, IndexTier.Pq4, IndexTier.Ivf };

    private static MipsIndex Build(float[] vectors, int dim, IndexTier tier) =>
        MipsIndex.Build(vectors, dim, new IndexOptions { Tier = tier, IvfLists = 8, IvfProbe = 4 });

    [Theory]
    [MemberData(nameof(Tiers))]
    public void ExcludedIdsNeverComeBackAndKResultsStillDo(IndexTier tier)
    {
        const int dim = 8;
        var vectors = IndexTestData.Clustered(2_000, dim, seed: 3);
        var index = Build(vectors, dim, tier);
        var query = IndexTestData.Clustered(1, dim, seed: 4);
        var top = index.Search(query, 20);
        // Exclude the whole first answer (and ids outside the shard): the next 20 must come back.
        int[] excluded = [-5, .. top.Select(h => h.Id).Order(), 1_000_000];
        var next = index.Search(query, 20, excluded);
        Assert.Equal(20, next.Length);
        Assert.DoesNotContain(next, h => excluded.Contains(h.Id));
        var expected = FloatScan.TopK(vectors, dim, query, 20, excluded[1..^1]);
        var recall = next.Count(h => expected.Any(e => e.Id == h.Id)) / 20.0;
        Assert.True(recall >= 0.8, $"{tier}: recall@20 with exclusions {recall:F2}");
    }

    [Theory]
    [MemberData(nameof(Tiers))]
    public void AnEmptyShardReturnsNothing(IndexTier tier)
    {
        var index = Build([], 4, tier);
        Assert.Equal(0, index.Count);
        Assert.Empty(index.Search([1, 2, 3, 4], 10));
    }

    [Theory]
    [MemberData(nameof(Tiers))]
    public void AOneVectorShardReturnsItsVectorWithTheExactScore(IndexTier tier)
    {
        var index = Build([0.5f, -2, 3], 3, tier);
        var hit = Assert.Single(index.Search([2, 1, 1], 5));
        Assert.Equal(new SearchHit(0, 0.5f * 2 - 2 + 3), hit);
        Assert.Empty(index.Search([2, 1, 1], 5, [0]));
    }

    [Theory]
    [MemberData(nameof(Tiers))]
    public void KLargerThanTheShardReturnsTheWholeShardInExactOrder(IndexTier tier)
    {
        const int dim = 6;
        var vectors = IndexTestData.Clustered(300, dim, seed: 5);
        var index = Build(vectors, dim, tier);
        var query = IndexTestData.Clustered(1, dim, seed: 6);
        var all = index.Search(query, 1000, [7, 8, 9]);
        Assert.Equal(FloatScan.TopK(vectors, dim, query, 1000, [7, 8, 9]), all);
        Assert.Equal(297, all.Length);
    }

    [Fact]
    public void TiesComeBackLowerIdFirst()
    {
        var index = MipsIndex.Build([1, 2, 2, 1, 2], 1, new IndexOptions { Tier = IndexTier.Exact });
        Assert.Equal([1, 2, 4, 0], index.Search([1], 4).Select(h => h.Id));
    }

    [Fact]
    public void KZeroReturnsNothingAndNegativeKIsRefused()
    {
        var index = MipsIndex.Build([1, 2], 1);
        Assert.Empty(index.Search([1], 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => index.Search([1], -1));
    }

    [Fact]
    public void AVectorOfTheWrongDimensionIsRefused()
    {
        var index = MipsIndex.Build([1, 2, 3, 4], 2);
        var error = Assert.Throws<ArgumentException>(() => index.Search([1, 2, 3], 1));
        Assert.Contains("The query has 3 dimensions; the index holds 2-dimensional vectors", error.Message);
        var ragged = Assert.Throws<ArgumentException>(() => MipsIndex.Build([1, 2, 3], 2));
        Assert.Contains("3 floats are not a whole number of 2-dimensional vectors", ragged.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => MipsIndex.Build([1, 2], 0));
    }

    [Theory]
    [InlineData(float.NaN, "NaN")]
    [InlineData(float.PositiveInfinity, "+infinity")]
    [InlineData(float.NegativeInfinity, "-infinity")]
    public void NaNAndInfinityAreRefusedInRowsAndQueries(float bad, string name)
    {
        var row = Assert.Throws<ArgumentException>(() => MipsIndex.Build([1, 2, 3, bad], 2, new IndexOptions { Tier = IndexTier.Int8 }));
        Assert.Contains($"Vector 1 has {name} at dimension 1", row.Message);
        var index = MipsIndex.Build([1, 2, 3, 4], 2);
        var query = Assert.Throws<ArgumentException>(() => index.Search([bad, 0], 1));
        Assert.Contains($"The query has {name} at dimension 0", query.Message);
    }

    [Fact]
    public void UnsortedExclusionsAreRefused()
    {
        var index = MipsIndex.Build([1, 2, 3], 1);
        var error = Assert.Throws<ArgumentException>(() => index.Search([1], 1, [2, 0]));
        Assert.Contains("sorted ascending", error.Message);
    }
}
