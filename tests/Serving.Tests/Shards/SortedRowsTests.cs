using MovieRecommender.Grains.Shards;

namespace MovieRecommender.Serving.Tests.Shards;

/// <summary>The ascending row sets a search's exclusions are made of.</summary>
public sealed class SortedRowsTests
{
    [Fact]
    public void UnionMergesInOrderAndKeepsARowOfBothOnce()
    {
        Assert.Equal([1, 2, 3, 5, 6, 9], SortedRows.Union([1, 3, 5, 9], [2, 3, 6]));
        Assert.Equal([0, 4, 7], SortedRows.Union([4, 7], [0, 7]));
    }

    [Fact]
    public void UnionWithAnEmptySideIsTheOther()
    {
        Assert.Equal([2, 8], SortedRows.Union([], [2, 8]));
        Assert.Equal([2, 8], SortedRows.Union([2, 8], []));
        Assert.Empty(SortedRows.Union([], []));
    }

    [Fact]
    public void LowerBoundIsThePositionOfTheFirstRowNotBelow()
    {
        int[] rows = [2, 4, 4, 8];

        Assert.Equal(0, SortedRows.LowerBound(rows, 0));
        Assert.Equal(0, SortedRows.LowerBound(rows, 2));
        Assert.Equal(1, SortedRows.LowerBound(rows, 4));
        Assert.Equal(3, SortedRows.LowerBound(rows, 5));
        Assert.Equal(4, SortedRows.LowerBound(rows, 9));
        Assert.Equal(0, SortedRows.LowerBound([], 3));
    }

    [Fact]
    public void ExceptKeepsTheRowsOfTheFirstNotInTheSecond()
    {
        Assert.Equal([1, 5], SortedRows.Except([1, 3, 5, 9], [0, 3, 9, 12]));
        Assert.Equal([2, 8], SortedRows.Except([2, 8], []));
        Assert.Empty(SortedRows.Except([], [1]));
    }

    [Fact]
    public void ComplementIsEveryOtherRowBelowTheCount()
    {
        Assert.Equal([0, 2, 3, 5], SortedRows.Complement([1, 4], 6));
        Assert.Equal([0, 1, 2], SortedRows.Complement([], 3));
        Assert.Empty(SortedRows.Complement([0, 1], 2));
    }
}
