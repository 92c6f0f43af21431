using MovieRecommender.Grains.Shards;

namespace MovieRecommender.Serving.Tests.Shards;

/// <summary>Short strings kept as UTF-8 in two arrays: read back the same, and found by binary search once sorted.</summary>
public sealed class Utf8ColumnTests
{
    [Fact]
    public void StringsReadBackAsTheyWereGivenWhateverTheirScript()
    {
        string[] given = ["Amélie (2001)", "", "千と千尋の神隠し", "🎬 Cinema", "m42"];

        var column = Utf8Column.From(given);

        Assert.Equal(given.Length, column.Count);
        Assert.Equal(given, column.Slice(0, given.Length));
        Assert.Equal("千と千尋の神隠し", column[2]);
    }

    [Fact]
    public void SortedFindsEveryStringAndSaysWhereEachCameFrom()
    {
        string[] given = ["m10", "m2", "Zoë", "m1", "a"];

        var sorted = Utf8Column.Sorted(given, out var order);

        for (var i = 0; i < sorted.Count; i++) Assert.Equal(given[order[i]], sorted[i]);
        foreach (var s in given) Assert.Equal(s, sorted[sorted.IndexOfSorted(s)]);
        Assert.Equal(-1, sorted.IndexOfSorted("m3"));
        Assert.Equal(-1, sorted.IndexOfSorted("m"));
        Assert.Equal(-1, sorted.IndexOfSorted(""));
        Assert.Equal(-1, sorted.IndexOfSorted("bad\udc00"));
    }

    [Fact]
    public void EqualStringsStayInTheOrderGiven()
    {
        var sorted = Utf8Column.Sorted(["b", "a", "b", "a"], out var order);

        Assert.Equal([1, 3, 0, 2], order);
        Assert.Equal(0, sorted.IndexOfSorted("a"));
        Assert.Equal(2, sorted.IndexOfSorted("b"));
    }

    [Fact]
    public void AStringThatIsNotValidTextIsRefusedSayingWhich()
    {
        var error = Assert.Throws<ArgumentException>(() => Utf8Column.From(["fine", "half \ud83c"], "Movie title"));

        Assert.Contains("Movie title 'half", error.Message);
        Assert.Contains("lone surrogate", error.Message);
    }

    [Fact]
    public void SelectKeepsTheGivenPositionsInThatOrder()
    {
        var column = Utf8Column.From(["zero", "one", "two", "three"]);

        Assert.Equal(["three", "one"], column.Select([3, 1]).Slice(0, 2));
        Assert.Equal(0, column.Select([]).Count);
    }
}
