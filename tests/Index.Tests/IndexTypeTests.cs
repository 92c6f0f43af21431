using MovieRecommender.Index;
using Xunit.Abstractions;

namespace MovieRecommender.Index.Tests;

/// <summary>Each index type against the exact scan on seeded structured data, with recall floors that can fail.</summary>
public sealed class IndexTypeTests(ITestOutputHelper output)
{
    private const int Rows = 20_000;
    private const int Dim = 32;
    private static readonly float[] Vectors = IndexTestData.Clustered(Rows, Dim, seed: 1);
    private static readonly float[] Queries = IndexTestData.Clustered(40, Dim, seed: 2);

    [Fact]
    public void TheFlatIndexIsTheExactScan()
    {
        var index = FlatIndex.Build(Vectors, Dim);
        Assert.Equal(1.0, IndexTestData.Recall(index, Vectors, Queries, k: 10));
        Assert.Equal("exact", index.Spec.ToString());
        Assert.Equal(Dim * sizeof(float), index.BytesPerVector);
    }

    [Fact]
    public void Int8CodesReachRecall99AtTen()
    {
        var index = new RefineIndex(FlatCodeIndex.BuildInt8(Vectors, Dim), Vectors);
        var recall = IndexTestData.Recall(index, Vectors, Queries, k: 10);
        output.WriteLine($"int8, default rerank {index.RerankFor(10)}: recall@10 = {recall:F4}");
        Assert.True(recall >= 0.99, $"int8 recall@10 {recall:F4} < 0.99");
    }

    [Fact]
    public void Int8CodesWithoutRerankSlackAreStillClose()
    {
        // K' = K: the integer ranking alone decides; int8 with per-dimension scales keeps it close to exact.
        var index = new RefineIndex(FlatCodeIndex.BuildInt8(Vectors, Dim), Vectors, rerank: 10);
        var recall = IndexTestData.Recall(index, Vectors, Queries, k: 10);
        output.WriteLine($"int8, rerank = K: recall@10 = {recall:F4}");
        Assert.True(recall >= 0.85, $"int8 recall@10 without rerank slack {recall:F4} < 0.85");
    }

    [Fact]
    public void Pq4FastScanReachesRecall90AtTenReranking500()
    {
        var index = new RefineIndex(FlatCodeIndex.BuildPq4(Vectors, Dim), Vectors, rerank: 500);
        var recall = IndexTestData.Recall(index, Vectors, Queries, k: 10);
        output.WriteLine($"pq4 M={Dim / 2}, rerank {index.RerankFor(10)}: recall@10 = {recall:F4}");
        Assert.True(recall >= 0.9, $"pq4 recall@10 {recall:F4} < 0.9");
    }

    [Theory]
    [InlineData(IndexKind.IvfInt8)]
    [InlineData(IndexKind.IvfPq4)]
    public void IvfReachesRecall90AtTenProbingAQuarter(IndexKind kind)
    {
        var ivf = IvfIndex.Build(Vectors, Dim, kind, new IndexOptions { IvfLists = 64, IvfProbe = 16 });
        Assert.Equal(64, ivf.Lists);
        Assert.Equal(16, ivf.Probe);
        var recall = IndexTestData.Recall(new RefineIndex(ivf, Vectors), Vectors, Queries, k: 10);
        output.WriteLine($"{kind.Name()}, 64 lists, probe 16: recall@10 = {recall:F4}");
        Assert.True(recall >= 0.9, $"{kind.Name()} recall@10 at probe 16/64 {recall:F4} < 0.9");
    }

    [Fact]
    public void IvfProbingEveryListIsAsGoodAsTheFlatCodes()
    {
        var index = new RefineIndex(IvfIndex.Build(Vectors, Dim, IndexKind.IvfInt8, new IndexOptions { IvfLists = 32 }), Vectors);
        var recall = IndexTestData.Recall(index, Vectors, Queries, k: 10, new SearchParameters(Probe: 32));
        Assert.True(recall >= 0.99, $"ivf probing every list: recall@10 {recall:F4} < 0.99");
    }

    [Fact]
    public void AWiderProbeFindsAtLeastAsMuch()
    {
        var index = new RefineIndex(IvfIndex.Build(Vectors, Dim, IndexKind.IvfInt8, new IndexOptions { IvfLists = 64, IvfProbe = 1 }), Vectors);
        var narrow = IndexTestData.Recall(index, Vectors, Queries, k: 10);
        var wide = IndexTestData.Recall(index, Vectors, Queries, k: 10, new SearchParameters(Probe: 16));
        output.WriteLine($"ivf-int8, 64 lists: recall@10 {narrow:F4} at probe 1, {wide:F4} at probe 16");
        Assert.True(wide > narrow, $"probe 16 recall {wide:F4} is not above probe 1's {narrow:F4}");
    }
}
