namespace MovieRecommender.Index.Tests;

/// <summary>The exact top K among given rows: what a shard answers a filter that keeps few rows with.</summary>
public sealed class ExactAmongTests
{
    private const int Dim = 8;

    [Fact]
    public void ItIsTheExactScanWithEveryOtherRowExcluded()
    {
        var random = new Random(5);
        var vectors = new float[2_000 * Dim];
        for (var i = 0; i < vectors.Length; i++) vectors[i] = (float)(random.NextDouble() * 2 - 1);
        var ids = Enumerable.Range(0, 2_000).Where(r => r % 7 == 3).ToArray();
        var others = Enumerable.Range(0, 2_000).Except(ids).ToArray();
        var exact = VectorIndex.Build(vectors, Dim, new IndexSpec(IndexKind.Exact));

        for (var q = 0; q < 10; q++)
        {
            var query = Enumerable.Range(0, Dim).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
            Assert.Equal(exact.Search(query, 10, others), VectorIndex.ExactAmong(vectors, Dim, query, ids, 10));
        }
    }

    [Fact]
    public void FewerRowsThanKGiveThemAllBestFirst()
    {
        float[] vectors = [1, 0, 3, 0, 2, 0];

        var hits = VectorIndex.ExactAmong(vectors, 2, [1, 0], [0, 2], 5);

        Assert.Equal([new SearchHit(2, 2), new SearchHit(0, 1)], hits);
        Assert.Empty(VectorIndex.ExactAmong(vectors, 2, [1, 0], [], 5));
    }

    [Fact]
    public void RowsOutOfOrderOrRangeAreRefused()
    {
        float[] vectors = [1, 0, 3, 0];

        Assert.ThrowsAny<ArgumentException>(() => VectorIndex.ExactAmong(vectors, 2, [1, 0], [1, 0], 1));
        Assert.ThrowsAny<ArgumentException>(() => VectorIndex.ExactAmong(vectors, 2, [1, 0], [0, 2], 1));
    }
}
