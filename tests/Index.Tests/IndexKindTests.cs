using System.ComponentModel;
using System.Globalization;

namespace MovieRecommender.Index.Tests;

/// <summary>One name per kind of index: the written names round-trip, and configuration takes them too.</summary>
public sealed class IndexKindTests
{
    [Fact]
    public void EveryKindIsReadBackFromItsWrittenNameAndItsEnumName()
    {
        Assert.Equal(["auto", "exact", "int8", "pq4", "ivf-int8", "ivf-pq4"], IndexKinds.Names);
        foreach (var kind in Enum.GetValues<IndexKind>())
        {
            Assert.True(IndexKinds.TryParse(kind.Name(), out var written));
            Assert.Equal(kind, written);
            Assert.True(IndexKinds.TryParse(kind.ToString().ToUpperInvariant(), out var named));
            Assert.Equal(kind, named);
        }
        Assert.True(IndexKinds.TryParse(" ivf ", out var ivf));
        Assert.Equal(IndexKind.IvfInt8, ivf);
        Assert.False(IndexKinds.TryParse("hnsw", out _));
    }

    [Fact]
    public void WhatAKindImpliesFollowsItsName()
    {
        Assert.Equal([IndexKind.IvfInt8, IndexKind.IvfPq4], Enum.GetValues<IndexKind>().Where(k => k.IsIvf()));
        Assert.Equal([IndexKind.Pq4, IndexKind.IvfPq4], Enum.GetValues<IndexKind>().Where(k => k.UsesPq4()));
    }

    [Fact]
    public void ConfigurationTakesTheWrittenNamesAndSaysWhichThereAreOtherwise()
    {
        var converter = TypeDescriptor.GetConverter(typeof(IndexKind));
        Assert.Equal(IndexKind.IvfPq4, converter.ConvertFrom(null, CultureInfo.InvariantCulture, "ivf-pq4"));
        Assert.Equal(IndexKind.Pq4, converter.ConvertFrom(null, CultureInfo.InvariantCulture, "Pq4"));
        var error = Assert.Throws<FormatException>(() => converter.ConvertFrom(null, CultureInfo.InvariantCulture, "hnsw"));
        Assert.Equal("'hnsw' is not an index kind; expected one of auto, exact, int8, pq4, ivf-int8, ivf-pq4.", error.Message);
    }
}
