using MovieRecommender.Grains;
using MovieRecommender.Grains.Shards;
using MovieRecommender.Index;

namespace MovieRecommender.Serving.Tests.Shards;

/// <summary>The live catalogue's changes over one shard, without a cluster.</summary>
public sealed class LiveOverlayTests
{
    private static readonly MovieDescription Drama = new("A (2016)", ["Drama"], 2016);
    private static readonly MovieDescription Comedy = new("B (1990)", ["Comedy"], 1990);

    [Fact]
    public void PutMoviesAreSearchedExactlyAndAPutOfAKnownMovieHidesItsSealedRow()
    {
        var overlay = new LiveOverlay(2);
        overlay.Put("new", 1000, [1, 0], Drama, sealedLocal: null);
        overlay.Put("known", 7, [0, 2], Comedy, sealedLocal: 3);

        var hits = overlay.Search([1, 1], 5, [], null);
        Assert.Equal(["known", "new"], hits.Select(h => h.Id));
        Assert.Equal([2f, 1f], hits.Select(h => h.Score));
        Assert.Equal([3], overlay.HiddenSealedRows);
        Assert.Equal(["new"], overlay.Search([1, 1], 5, [7], null).Select(h => h.Id));
        Assert.Equal(["known"], overlay.Search([1, 1], 5, [], new MovieFilter(Genre: "Comedy")).Select(h => h.Id));
    }

    [Fact]
    public void ATakedownDropsAPutMovieAndHidesASealedOneAndAPutBringsItBack()
    {
        var overlay = new LiveOverlay(2);
        overlay.Put("a", 1000, [1, 0], Drama, null);
        overlay.Put("b", 1016, [0, 1], Comedy, null);

        Assert.True(overlay.TakeDown("a", null));
        Assert.Null(overlay.Find("a"));
        Assert.Equal(["b"], overlay.Search([1, 1], 5, [], null).Select(h => h.Id));
        Assert.Equal([0f, 1f], overlay.Find("b")!.Embedding);

        Assert.True(overlay.TakeDown("sealed", 4));
        Assert.False(overlay.TakeDown("sealed", 4));
        Assert.True(overlay.Hides(4));
        overlay.Put("sealed", 9, [2, 2], Drama, 4);
        Assert.Equal(9, overlay.Find("sealed")!.Row);
        Assert.False(overlay.TakeDown("nothing", null));
    }

    [Fact]
    public void ARowOfTheWrongWidthOrNotFiniteIsRefused()
    {
        var overlay = new LiveOverlay(2);
        Assert.Throws<ArgumentException>(() => overlay.Put("a", 1000, [1, 0, 0], Drama, null));
        Assert.ThrowsAny<ArgumentException>(() => overlay.Put("a", 1000, [float.NaN, 0], Drama, null));
        Assert.Equal(0, overlay.Count);
    }

    [Fact]
    public void AnIndexOverThePutMoviesServesThemAndChangesSinceItsSnapshotStayExact()
    {
        var overlay = new LiveOverlay(2);
        overlay.Put("a", 1000, [1, 0], Drama, null);
        overlay.Put("b", 1016, [0, 1], Comedy, null);
        overlay.Put("c", 1032, [1, 1], Drama, null);
        var (entries, vectors) = overlay.Snapshot();
        // While the index builds: b is put again and c taken down.
        overlay.Put("b", 1016, [3, 3], Comedy, null);
        overlay.TakeDown("c", null);
        overlay.Install(entries, VectorIndex.Build(vectors, 2, new IndexSpec(IndexKind.Exact), new IndexOptions()));

        Assert.Equal(1, overlay.TailCount);
        var hits = overlay.Search([1, 1], 5, [], null);
        Assert.Equal(["b", "a"], hits.Select(h => h.Id));
        Assert.Equal([6f, 1f], hits.Select(h => h.Score));
        Assert.Equal(["a"], overlay.Search([1, 1], 5, [1016], null).Select(h => h.Id));
        Assert.Equal(["b"], overlay.Search([1, 1], 5, [], new MovieFilter(Genre: "Comedy")).Select(h => h.Id));

        // An indexed movie changed after the install: its index entry is hidden, its new row scanned.
        overlay.Put("a", 1000, [0, 0.5f], Drama, null);
        Assert.Equal([6f, 0.5f], overlay.Search([1, 1], 5, [], null).Select(h => h.Score));
        overlay.TakeDown("a", null);
        Assert.Equal(["b"], overlay.Search([1, 1], 5, [], null).Select(h => h.Id));
    }
}
