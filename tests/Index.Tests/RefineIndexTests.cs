using MovieRecommender.Index;

namespace MovieRecommender.Index.Tests;

/// <summary>The exact rerank as a wrapper (FAISS IndexRefine): K' precedence, what it reports, and what it refuses.</summary>
public sealed class RefineIndexTests
{
    private const int Dim = 16;
    private static readonly float[] Vectors = IndexTestData.Clustered(6_000, Dim, seed: 11);
    private static readonly float[] Queries = IndexTestData.Clustered(30, Dim, seed: 12);

    [Fact]
    public void TheQueryOverridesTheFixedDepthWhichOverridesTheBaseDefault()
    {
        var codes = FlatCodeIndex.BuildPq4(Vectors, Dim);
        var following = new RefineIndex(codes, Vectors);
        var fixedDepth = new RefineIndex(codes, Vectors, rerank: 300);
        Assert.Equal(codes.DefaultRerank(10), following.RerankFor(10));
        Assert.Equal(300, fixedDepth.RerankFor(10));
        Assert.Equal(40, fixedDepth.RerankFor(10, new SearchParameters(Rerank: 40)));
        // Never fewer candidates than K.
        Assert.Equal(50, fixedDepth.RerankFor(50, new SearchParameters(Rerank: 5)));
    }

    [Fact]
    public void ADeeperRerankRecallsMoreAndEveryScoreIsExact()
    {
        var index = new RefineIndex(FlatCodeIndex.BuildPq4(Vectors, Dim), Vectors);
        var shallow = IndexTestData.Recall(index, Vectors, Queries, k: 10, new SearchParameters(Rerank: 10));
        var deep = IndexTestData.Recall(index, Vectors, Queries, k: 10, new SearchParameters(Rerank: 400));
        Assert.True(deep > shallow, $"rerank 400 recall {deep:F3} is not above rerank 10's {shallow:F3}");
        Assert.True(deep >= 0.95, $"rerank 400 recall {deep:F3} < 0.95");
    }

    [Fact]
    public void ItReportsTheBaseAndItsFixedDepth()
    {
        var ivf = IvfIndex.Build(Vectors, Dim, IndexKind.IvfPq4, new IndexOptions { IvfLists = 20, IvfProbe = 5, PqSubspaces = 8 });
        var index = new RefineIndex(ivf, Vectors, rerank: 128);
        Assert.Equal("ivf-pq4:lists=20,probe=5,subspaces=8,rerank=128", index.Spec.ToString());
        Assert.Equal("ivf-pq4:lists=20,probe=5,subspaces=8", new RefineIndex(ivf, Vectors).Spec.ToString());
        Assert.Same(ivf, index.Base);
        Assert.Equal((Vectors.Length / Dim, Dim), (index.Count, index.Dimension));
        Assert.Equal(ivf.BytesPerVector, index.BytesPerVector);
        Assert.Equal(8 / 2.0 + sizeof(int), index.BytesPerVector);
    }

    [Fact]
    public void RowsOtherThanTheBasesAndAZeroDepthAreRefused()
    {
        var codes = FlatCodeIndex.BuildInt8(Vectors, Dim);
        var error = Assert.Throws<ArgumentException>(() => new RefineIndex(codes, Vectors[..(Dim * 10)]));
        Assert.Contains($"holds 6000 x {Dim} floats but {Dim * 10} were given", error.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => new RefineIndex(codes, Vectors, rerank: 0));
    }
}
