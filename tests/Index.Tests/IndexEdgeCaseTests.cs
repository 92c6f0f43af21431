using MovieRecommender.Index;

namespace MovieRecommender.Index.Tests;

/// <summary>
/// Every index type (exact, flat int8 and PQ4, IVF over int8 and PQ4, each approximate one inside the exact rerank):
/// exact float32 scores in <see cref="TopKOrder"/> with exclusions, tiny and empty shards, K beyond the shard, and
/// refused input.
/// </summary>
public sealed class IndexEdgeCaseTests
{
    public static TheoryData<string> Specs => new() { "exact", "int8", "pq4", "ivf-int8:lists=8,probe=4", "ivf-pq4:lists=8,probe=4" };

    private static IVectorIndex Build(float[] vectors, int dim, string spec) => VectorIndex.Build(vectors, dim, IndexSpec.Parse(spec));

    [Theory]
    [MemberData(nameof(Specs))]
    public void EveryTypeReturnsExactScoresInTopKOrderWithoutTheExcludedIds(string spec)
    {
        const int dim = 8;
        var vectors = IndexTestData.Clustered(2_000, dim, seed: 3);
        var index = Build(vectors, dim, spec);
        var query = IndexTestData.Clustered(1, dim, seed: 4);
        var top = index.Search(query, 20);
        // Exclude the whole first answer (and ids outside the shard): the next 20 must come back.
        int[] excluded = [-5, .. top.Select(h => h.Id).Order(), 1_000_000];
        var next = index.Search(query, 20, excluded);
        Assert.Equal(20, next.Length);
        Assert.DoesNotContain(next, h => excluded.Contains(h.Id));
        foreach (var hit in top.Concat(next))
            Assert.Equal(FloatDot.Dot(vectors.AsSpan(hit.Id * dim, dim), query), hit.Score);
        Assert.True(next.Zip(next.Skip(1)).All(p => TopKOrder.IsBetter(p.First, p.Second)), $"{spec}: not in TopKOrder");
        var expected = FloatScan.TopK(vectors, dim, query, 20, excluded[1..^1]);
        var recall = next.Count(h => expected.Any(e => e.Id == h.Id)) / 20.0;
        Assert.True(recall >= 0.8, $"{spec}: recall@20 with exclusions {recall:F2}");
    }

    [Theory]
    [MemberData(nameof(Specs))]
    public void EqualScoresComeBackLowerIdFirst(string spec)
    {
        // Rows 1, 2 and 4 are the same vector: the same exact score, so they rank by id whatever the codes say.
        float[] vectors = [1, 0, 2, 1, 2, 1, 0.5f, 3, 2, 1, -1, -1];
        var index = Build(vectors, 2, spec);
        var everyList = new SearchParameters(Probe: 100);
        Assert.Equal([1, 2, 4, 3], index.Search([1, 0.5f], 4, default, everyList).Select(h => h.Id));
        Assert.Equal([2, 4, 3], index.Search([1, 0.5f], 3, [1], everyList).Select(h => h.Id));
    }

    [Theory]
    [MemberData(nameof(Specs))]
    public void AnEmptyShardReturnsNothing(string spec)
    {
        var index = Build([], 4, spec);
        Assert.Equal(0, index.Count);
        Assert.Empty(index.Search([1, 2, 3, 4], 10));
    }

    [Theory]
    [MemberData(nameof(Specs))]
    public void AOneVectorShardReturnsItsVectorWithTheExactScore(string spec)
    {
        var index = Build([0.5f, -2, 3], 3, spec);
        var hit = Assert.Single(index.Search([2, 1, 1], 5));
        Assert.Equal(new SearchHit(0, 0.5f * 2 - 2 + 3), hit);
        Assert.Empty(index.Search([2, 1, 1], 5, [0]));
    }

    [Theory]
    [MemberData(nameof(Specs))]
    public void KLargerThanTheShardReturnsTheWholeShardInExactOrder(string spec)
    {
        const int dim = 6;
        var vectors = IndexTestData.Clustered(300, dim, seed: 5);
        var index = Build(vectors, dim, spec);
        var query = IndexTestData.Clustered(1, dim, seed: 6);
        var all = index.Search(query, 1000, [7, 8, 9]);
        Assert.Equal(FloatScan.TopK(vectors, dim, query, 1000, [7, 8, 9]), all);
        Assert.Equal(297, all.Length);
    }

    [Fact]
    public void KZeroReturnsNothingAndNegativeKIsRefused()
    {
        var index = VectorIndex.Build([1, 2], 1, IndexSpec.Auto);
        Assert.Empty(index.Search([1], 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => index.Search([1], -1));
    }

    [Theory]
    [MemberData(nameof(Specs))]
    public void AVectorOfTheWrongDimensionIsRefused(string spec)
    {
        var index = Build([1, 2, 3, 4], 2, spec);
        var error = Assert.Throws<ArgumentException>(() => index.Search([1, 2, 3], 1));
        Assert.Contains("The query has 3 dimensions; the index holds 2-dimensional vectors", error.Message);
        var ragged = Assert.Throws<ArgumentException>(() => Build([1, 2, 3], 2, spec));
        Assert.Contains("3 floats are not a whole number of 2-dimensional vectors", ragged.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => Build([1, 2], 0, spec));
    }

    [Theory]
    [InlineData(float.NaN, "NaN")]
    [InlineData(float.PositiveInfinity, "+infinity")]
    [InlineData(float.NegativeInfinity, "-infinity")]
    public void NaNAndInfinityAreRefusedInRowsAndQueries(float bad, string name)
    {
        var row = Assert.Throws<ArgumentException>(() => VectorIndex.Build([1, 2, 3, bad], 2, IndexSpec.Parse("int8")));
        Assert.Contains($"Vector 1 has {name} at dimension 1", row.Message);
        var index = VectorIndex.Build([1, 2, 3, 4], 2, IndexSpec.Auto);
        var query = Assert.Throws<ArgumentException>(() => index.Search([bad, 0], 1));
        Assert.Contains($"The query has {name} at dimension 0", query.Message);
    }

    [Fact]
    public void UnsortedExclusionsAreRefused()
    {
        var index = VectorIndex.Build([1, 2, 3], 1, IndexSpec.Parse("int8"));
        var error = Assert.Throws<ArgumentException>(() => index.Search([1], 1, [2, 0]));
        Assert.Contains("sorted ascending", error.Message);
    }
}
