using MovieRecommender.Index;

namespace MovieRecommender.Index.Tests;

/// <summary>The operator's index string: canonical round trip, and an error that says what is wrong for each bad input.</summary>
public sealed class IndexSpecTests
{
    [Theory]
    [InlineData("auto", "auto")]
    [InlineData("exact", "exact")]
    [InlineData(" INT8 : rerank = 40 ", "int8:rerank=40")]
    [InlineData("pq4:rerank=300,subspaces=16", "pq4:subspaces=16,rerank=300")]
    [InlineData("ivf", "ivf-int8")]
    [InlineData("ivf-int8:probe=20,lists=1000", "ivf-int8:lists=1000,probe=20")]
    [InlineData("ivf-pq4:lists=100,probe=10,subspaces=32,rerank=200", "ivf-pq4:lists=100,probe=10,subspaces=32,rerank=200")]
    public void ParseReadsAndToStringWritesTheCanonicalForm(string text, string canonical)
    {
        var spec = IndexSpec.Parse(text);
        Assert.Equal(canonical, spec.ToString());
        Assert.Equal(spec, IndexSpec.Parse(spec.ToString()));
    }

    [Theory]
    [InlineData("hnsw", "unknown index kind 'hnsw'; expected one of auto, exact, int8, pq4, ivf-int8, ivf-pq4")]
    [InlineData("", "unknown index kind ''")]
    [InlineData("int8:lists=10", "int8 has no parameter 'lists'; it takes rerank.")]
    [InlineData("exact:rerank=10", "exact takes no parameters, but 'rerank' is given.")]
    [InlineData("ivf-int8:subspaces=8", "ivf-int8 has no parameter 'subspaces'; it takes lists, probe, rerank.")]
    [InlineData("ivf-int8:lists", "'lists' is not key=value; write e.g. ivf-int8:lists=N,probe=N,rerank=N.")]
    [InlineData("ivf-int8:lists=10,lists=20", "'lists' is given twice.")]
    [InlineData("ivf-int8:lists=ten", "lists must be a whole number of at least 1, not 'ten'.")]
    [InlineData("int8:rerank=0", "rerank must be a whole number of at least 1, not '0'.")]
    [InlineData("ivf-int8:lists=10,probe=11", "probe 11 is more than lists 10: a query cannot probe more lists than there are.")]
    [InlineData("pq4:subspaces=7", "subspaces must be even and at most 256, not 7.")]
    public void EachMistakeIsNamed(string text, string message)
    {
        Assert.False(IndexSpec.TryParse(text, out _, out var error));
        Assert.Contains(message, error);
        Assert.Contains(message, Assert.Throws<FormatException>(() => IndexSpec.Parse(text)).Message);
    }

    [Fact]
    public void ApplyToSetsOnlyWhatTheSpecSays()
    {
        var build = new IndexOptions { IvfLists = 7, Rerank = 99, BuildThreads = 1 };
        var options = IndexSpec.Parse("ivf-pq4:probe=3").ApplyTo(build);
        Assert.Equal((IndexKind.IvfPq4, 7, 3, 99, 1), (options.Kind, options.IvfLists, options.IvfProbe, options.Rerank, options.BuildThreads));
    }
}
