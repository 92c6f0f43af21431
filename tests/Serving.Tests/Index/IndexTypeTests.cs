using Xunit.Abstractions;
using MovieRecommender.Index;

namespace MovieRecommender.Serving.Tests.Index;

/// <summary>Each tier against the exact scan on seeded structured data, with recall floors that can fail.</summary>
public sealed class MipsIndexTierTests(ITestOutputHelper output)
{
    private const int Rows = 20_000;
    private const int Dim = 32;
    private static readonly float[] Vectors = IndexTestData.Clustered(Rows, Dim, seed: 1);
    private static readonly float[] Queries = IndexTestData.Clustered(40, Dim, seed: 2);

    [Fact]
    public void ExactTierIsTheExactScan()
    {
        var index = MipsIndex.Build(Vectors, Dim, new IndexOptions { Tier = IndexTier.Exact });
        Assert.Equal(1.0, IndexTestData.Recall(index, Vectors, Queries, k: 10));
    }

    [Fact]
    public void Int8TierReachesRecall99AtTen()
    {
        var index = MipsIndex.Build(Vectors, Dim, new IndexOptions { Tier = IndexTier.Int8 });
        var recall = IndexTestData.Recall(index, Vectors, Queries, k: 10);
        output.WriteLine($"int8, default rerank {index.RerankFor(10)}: recall@10 = {recall:F4}");
        Assert.True(recall >= 0.99, $"int8 recall@10 {recall:F4} < 0.99");
    }

    [Fact]
    public void Int8TierWithoutRerankSlackIsStillClose()
    {
        // K' = K: the integer ranking alone decides; int8 with per-dimension scales keeps it close to exact.
        var index = MipsIndex.Build(Vectors, Dim, new IndexOptions { Tier = IndexTier.Int8, Rerank = 10 });
        var recall = IndexTestData.Recall(index, Vectors, Queries, k: 10);
        output.WriteLine($"int8, rerank = K: recall@10 = {recall:F4}");
        Assert.True(recall >= 0.85, $"int8 recall@10 without rerank slack {recall:F4} < 0.85");
    }

    [Fact]
    public void Pq4TierReachesRecall90AtTenReranking500()
    {
        var index = MipsIndex.Build(Vectors, Dim, new IndexOptions { Tier = IndexTier.Pq4, Rerank = 500 });
        var recall = IndexTestData.Recall(index, Vectors, Queries, k: 10);
        output.WriteLine($"pq4 M={Dim / 2}, rerank {index.RerankFor(10)}: recall@10 = {recall:F4}");
        Assert.True(recall >= 0.9, $"pq4 recall@10 {recall:F4} < 0.9");
    }

    [Theory]
    [InlineData(IvfCodes.Int8)]
    [InlineData(IvfCodes.Pq4)]
    public void IvfTierReachesRecall90AtTenProbingAQuarter(IvfCodes codes)
    {
        var index = MipsIndex.Build(Vectors, Dim, new IndexOptions { Tier = IndexTier.Ivf, IvfCodes = codes, IvfLists = 64, IvfProbe = 16 });
        Assert.Equal(64, index.ListCount);
        var recall = IndexTestData.Recall(index, Vectors, Queries, k: 10);
        output.WriteLine($"ivf-{codes}, 64 lists, probe 16: recall@10 = {recall:F4}");
        Assert.True(recall >= 0.9, $"ivf-{codes} recall@10 at probe 16/64 {recall:F4} < 0.9");
    }

    [Fact]
    public void IvfProbingEveryListIsAsGoodAsTheFlatCodes()
    {
        var index = MipsIndex.Build(Vectors, Dim, new IndexOptions { Tier = IndexTier.Ivf, IvfLists = 32 });
        var recall = IndexTestData.Recall(index, Vectors, Queries, k: 10, new SearchParameters(Probe: 32));
        Assert.True(recall >= 0.99, $"ivf probing every list: recall@10 {recall:F4} < 0.99");
    }

    [Fact]
    public void AutoPicksBruteForceForSmallShardsAndInt8Above()
    {
        Assert.Equal(IndexTier.Exact, MipsIndex.ChooseTier(416, IndexOptions.Default));
        Assert.Equal(IndexTier.Exact, MipsIndex.ChooseTier(4095, IndexOptions.Default));
        Assert.Equal(IndexTier.Int8, MipsIndex.ChooseTier(100_000, IndexOptions.Default));
        Assert.Equal(IndexTier.Ivf, MipsIndex.ChooseTier(10_000_000, IndexOptions.Default));
        Assert.Equal(IndexTier.Pq4, MipsIndex.ChooseTier(10, new IndexOptions { Tier = IndexTier.Pq4 }));
        Assert.Equal(IndexTier.Int8, MipsIndex.Build(Vectors, Dim).Tier);
    }
}
