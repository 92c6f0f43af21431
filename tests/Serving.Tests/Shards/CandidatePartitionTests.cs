using MovieRecommender.Grains;
using MovieRecommender.Grains.Shards;
using MovieRecommender.Index;
using static MovieRecommender.Serving.Tests.Shards.ShardTestData;

namespace MovieRecommender.Serving.Tests.Shards;

/// <summary>One shard's rows: where they sit in the version, which chunks they take, and what they answer.</summary>
public sealed class CandidatePartitionTests
{
    private static readonly ModelVersionInfo Version = Model();
    // Empty, for each test to fill: rows [0, 5) and [5, 10).
    private readonly CandidatePartition _shard0 = CandidatePartition.ForLayout(Version, shard: 0);
    private readonly CandidatePartition _shard1 = CandidatePartition.ForLayout(Version, shard: 1);

    [Fact]
    public void AnEmptyLayoutHoldsItsShareOfTheRowsAndNoneLoaded()
    {
        var partition = CandidatePartition.ForLayout(Model(items: 10, shards: 3), shard: 1);

        Assert.Equal((3, 3, 1), (partition.FirstRow, partition.Count, partition.Shard));
        Assert.Equal(6, partition.Vectors.Length);
        Assert.Equal(0, partition.LoadedCount);
        Assert.False(partition.IsComplete);
    }

    [Fact]
    public void ChunkOutsideTheShardIsRefused()
    {
        var before = Assert.Throws<ArgumentOutOfRangeException>(() => _shard1.Take(Chunk(Version, 3, 3)));
        Assert.Equal("chunk", before.ParamName);
        Assert.StartsWith("Rows [3, 6) fall outside shard 1's rows [5, 10).", before.Message);
        var past = Assert.Throws<ArgumentOutOfRangeException>(() => _shard1.Take(Chunk(Version, 8, 3)));
        Assert.StartsWith("Rows [8, 11) fall outside shard 1's rows [5, 10).", past.Message);
        Assert.Equal(0, _shard1.LoadedCount);
        Assert.Equal(0, _shard1.Writes);
    }

    [Fact]
    public void ChunkWhoseArraysDisagreeIsRefused()
    {
        var chunk = Chunk(Version, 0, 3) with { Titles = ["one", "two"] };

        var e = Assert.Throws<ArgumentException>(() => _shard0.Take(chunk));
        Assert.Equal("Chunk at row 0: 3 ids, 2 titles, 3 genre lists, 3 years and 24 vector bytes do not match dimension 2.", e.Message);
        Assert.Equal(0, _shard0.LoadedCount);
    }

    [Fact]
    public void ChunkWithANonFiniteComponentIsRefusedBeforeAnyRowIsWritten()
    {
        var chunk = Chunk(Version, 0, 5);
        BitConverter.TryWriteBytes(chunk.Vectors.AsSpan(2 * sizeof(float)), float.NaN);

        var e = Assert.Throws<ArgumentException>(() => _shard0.Take(chunk));
        Assert.Equal("chunk", e.ParamName);
        Assert.StartsWith("Vector 1 has NaN at dimension 0; every component must be finite.", e.Message);
        Assert.Equal(0, _shard0.LoadedCount);
        Assert.Empty(_shard0.Genres());
    }

    [Fact]
    public void EachRowCountsOnceHoweverOftenItIsPushed()
    {
        _shard1.Take(Chunk(Version, 5, 3));
        _shard1.Take(Chunk(Version, 6, 2));
        Assert.Equal(3, _shard1.LoadedCount);
        Assert.False(_shard1.IsComplete);
        Assert.Equal(2, _shard1.Writes);

        _shard1.Take(Chunk(Version, 8, 2));
        Assert.Equal(5, _shard1.LoadedCount);
        Assert.True(_shard1.IsComplete);
    }

    [Fact]
    public void FindAnswersOnceEveryRowIsPresent()
    {
        _shard1.Take(Chunk(Version, 5, 4));
        Assert.Null(_shard1.Find("m6"));

        _shard1.Take(Chunk(Version, 9, 1));
        var found = _shard1.Find("m6");
        Assert.NotNull(found);
        Assert.Equal((6, "m6", "Title 6"), (found.Row, found.Id, found.Title));
        Assert.Equal([6f, 1f], found.Embedding);
        Assert.Null(_shard1.Find("m2"));
        Assert.Null(_shard1.Find("M6"));
    }

    [Fact]
    public void GenresAreDistinctIgnoringCaseAndOnlyOfRowsWritten()
    {
        Assert.Empty(_shard0.Genres());

        _shard0.Take(Chunk(Version, 0, 2));
        _shard0.Take(Chunk(Version, 2, 1, genre: "drama"));
        Assert.Equal(["Comedy", "Drama"], _shard0.Genres().Order(StringComparer.Ordinal));
    }

    [Fact]
    public void ExcludedRowsMapToLocalIdsAtTheShardBorders()
    {
        var shard1 = Complete(Version, shard: 1);

        Assert.Equal([0, 4], shard1.LocalRows([0, 4, 5, 9, 10, 12]));
        Assert.Equal([0, 0, 2], shard1.LocalRows([5, 5, 7]));
        Assert.Empty(shard1.LocalRows([1, 2, 3, 4, 10]));
        Assert.Empty(shard1.LocalRows([]));
    }

    [Fact]
    public void HitsBecomeTheVersionsMovies()
    {
        var scored = Complete(Version, shard: 1).Scored([new SearchHit(4, 2.5f), new SearchHit(0, 1f)]);

        Assert.Equal([new ScoredMovie(9, "m9", "Title 9", 2.5f), new ScoredMovie(5, "m5", "Title 5", 1f)], scored);
    }

    [Fact]
    public void RowsAFilterAcceptsAreAscendingLocalIds()
    {
        var shard1 = Complete(Version, shard: 1);

        // Rows 5..9: Comedy, Drama, Comedy, Drama, Comedy, released 1995..1999.
        Assert.Equal([0, 2, 4], shard1.RowsAcceptedBy(new MovieFilter(Genre: "comedy")));
        Assert.Equal([3, 4], shard1.RowsAcceptedBy(new MovieFilter(MinYear: 1998)));
        Assert.Equal([0, 1, 2, 3, 4], shard1.RowsAcceptedBy(MovieFilter.None));
    }

    [Fact]
    public void TheStoredStateReadsBackAsTheSameCompleteShard()
    {
        var state = Complete(Version, shard: 1).ToState();
        Assert.Equal((Version, 5), (state.Model, state.FirstRow));

        var reloaded = CandidatePartition.FromState(state, shard: 1);

        Assert.True(reloaded.IsComplete);
        Assert.Equal((5, 5, 1), (reloaded.FirstRow, reloaded.LoadedCount, reloaded.Shard));
        var found = reloaded.Find("m8");
        Assert.NotNull(found);
        Assert.Equal((8, "Title 8"), (found.Row, found.Title));
        Assert.Equal([8f, 1f], found.Embedding);
    }

    [Fact]
    public void ASealedShardKeepsItsIdsAndTitlesPackedAndTakesAChunkAgain()
    {
        var shard = Complete(Version, shard: 1);
        var state = shard.ToState();
        Assert.Equal((0, 5), (state.Ids.Length, state.PackedIds?.Count));
        Assert.Equal(["m6", "m7"], state.IdsOf(1, 2));
        Assert.Equal(["Title 9"], state.TitlesOf(4, 1));

        var renamed = Chunk(Version, 7, 1) with { Titles = ["Seven, again"] };
        shard.Take(renamed);

        Assert.Equal("Seven, again", shard.Find("m7")?.Title);
        Assert.Equal("Title 8", shard.Find("m8")?.Title);
        Assert.Equal(["m5", "m6", "m7", "m8", "m9"], shard.ToState().IdsOf(0, 5));
        Assert.Equal("Title 5", shard.DescriptionAt(0).Title);
    }
}
