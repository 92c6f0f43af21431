using MovieRecommender.Grains;
using MovieRecommender.Grains.Shards;
using static MovieRecommender.Serving.Tests.Shards.ShardTestData;

namespace MovieRecommender.Serving.Tests.Shards;

/// <summary>What a search of one shard skips, and the cache of the filters' answers.</summary>
public sealed class ShardExclusionsTests
{
    [Fact]
    public void WithoutAFilterOnlyTheExcludedRowsOfTheShardAreSkipped()
    {
        var exclusions = new ShardExclusions(Complete(Model(), shard: 1));

        Assert.Equal([1, 4], exclusions.Of(Request([2, 6, 9, 11])));
        Assert.Equal([1, 4], exclusions.Of(Request([2, 6, 9, 11], MovieFilter.None)));
    }

    [Fact]
    public void AFilterAddsTheRowsItRejectsEachOnce()
    {
        var exclusions = new ShardExclusions(Complete(Model(), shard: 1));

        // Rows 5..9 are Comedy, Drama, Comedy, Drama, Comedy: a Comedy filter rejects local 1 and 3.
        Assert.Equal([0, 1, 3], exclusions.Of(Request([5, 6], new MovieFilter(Genre: "Comedy"))));
    }

    [Fact]
    public void TheSameFilterGetsTheCachedAnswer()
    {
        var exclusions = new ShardExclusions(Complete(Model(), shard: 1));

        var first = exclusions.Rejected(new MovieFilter(Genre: "Drama"));

        Assert.Equal([0, 2, 4], first);
        Assert.Same(first, exclusions.Rejected(new MovieFilter(Genre: "Drama")));
        Assert.NotSame(first, exclusions.Rejected(new MovieFilter(Genre: "Comedy")));
    }

    [Fact]
    public void AWriteToThePartitionClearsTheCache()
    {
        var model = Model();
        var partition = Complete(model, shard: 1);
        var exclusions = new ShardExclusions(partition);
        var drama = new MovieFilter(Genre: "Drama");
        var before = exclusions.Rejected(drama);

        partition.Take(Chunk(model, 5, 2, genre: "Drama"));

        var after = exclusions.Rejected(drama);
        Assert.NotSame(before, after);
        Assert.Equal([2, 4], after);
    }

    [Fact]
    public void TheCacheKeepsAtMostSixtyFourFilters()
    {
        var exclusions = new ShardExclusions(Complete(Model(), shard: 1));
        // Each keeps every row (released 1995..1999): none is selective, so their rejected rows are what is cached.
        var filters = Enumerable.Range(0, ShardExclusions.MaxCachedFilters + 1).Select(i => new MovieFilter(MinYear: 1900 + i)).ToArray();
        var first = exclusions.Rejected(filters[0]);
        foreach (var filter in filters[1..^1]) exclusions.Rejected(filter);
        Assert.Same(first, exclusions.Rejected(filters[0]));

        // The 65th filter starts the cache again: the first one is computed anew.
        exclusions.Rejected(filters[^1]);
        var again = exclusions.Rejected(filters[0]);
        Assert.NotSame(first, again);
        Assert.Empty(again);
    }

    [Fact]
    public void AFilterKeepingFewRowsCachesTheRowsItKeeps()
    {
        var model = Model(items: 100, shards: 1);
        var partition = CandidatePartition.ForLayout(model, 0);
        partition.Take(Chunk(model, 0, 100));
        var exclusions = new ShardExclusions(partition);
        // Rows 0..99 are released 1990..2089: 3 of them from 2087 on, 3 % of the shard.
        var late = new MovieFilter(MinYear: 2087);

        var kept = exclusions.KeptIfSelective(late);
        Assert.Equal([97, 98, 99], kept!);
        Assert.Same(kept, exclusions.KeptIfSelective(late));
        Assert.Equal(97, exclusions.Rejected(late).Length);
        Assert.Equal(0.03, exclusions.KeptShare(late), 6);
        // Half the rows is not selective: the index searches, skipping the other half.
        Assert.Null(exclusions.KeptIfSelective(new MovieFilter(Genre: "Drama")));
        Assert.Equal(0.5, exclusions.KeptShare(new MovieFilter(Genre: "Drama")), 6);
    }

    private static ShardSearchRequest Request(int[] excludedRows, MovieFilter? filter = null) => new([1, 0], 3, excludedRows, filter);
}
