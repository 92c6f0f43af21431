using MovieRecommender.Trainer.Data;

namespace MovieRecommender.Trainer.Tests;

/// <summary>
/// The bad-row policy on its own, without files: not skipping, the first bad row stops with its fault; skipping,
/// rows are counted by kind with the first fault of each kept, and described in <see cref="BadRowKind"/> order.
/// </summary>
public sealed class BadRowPolicyTests
{
    private static Action Bad(BadRowKind kind, string fault) => () => throw new BadRowException(kind, fault);

    [Fact]
    public void AGoodRowIsParsedAndKept()
    {
        var parsed = 0;
        foreach (var skip in new[] { false, true })
        {
            var policy = new BadRowPolicy(skip);
            Assert.True(policy.Row(() => parsed++));
            Assert.Empty(policy.Counts);
            Assert.Empty(policy.Describe());
        }
        Assert.Equal(2, parsed);
    }

    [Fact]
    public void NotSkippingTheFirstBadRowStopsWithItsFaultAndTheSkipHint()
    {
        var policy = new BadRowPolicy(skip: false);
        var e = Assert.Throws<InvalidDataException>(() => policy.Row(Bad(BadRowKind.UnknownMovie, "u.data:7: movie id 99 is not in u.item")));
        Assert.Equal("u.data:7: movie id 99 is not in u.item (--skip-bad-rows skips such rows).", e.Message);
        Assert.Equal(BadRowKind.UnknownMovie, Assert.IsType<BadRowException>(e.InnerException).Kind);
        Assert.Empty(policy.Counts);
    }

    [Fact]
    public void SkippingCountsEachKindAndDescribesItsFirstFaultInKindOrder()
    {
        var policy = new BadRowPolicy(skip: true);
        Assert.False(policy.Row(Bad(BadRowKind.DuplicateId, "u.user:2: user id 1 appears twice")));
        Assert.False(policy.Row(Bad(BadRowKind.Malformed, "u.data:3: first")));
        Assert.True(policy.Row(() => { }));
        Assert.False(policy.Row(Bad(BadRowKind.Malformed, "u.data:5: second")));
        Assert.False(policy.Row(Bad(BadRowKind.RatingOutOfRange, "u.data:6: rating 9 is outside 0.5 to 5")));

        Assert.Equal(new Dictionary<BadRowKind, int>
        {
            [BadRowKind.Malformed] = 2, [BadRowKind.RatingOutOfRange] = 1, [BadRowKind.DuplicateId] = 1,
        }, policy.Counts);
        Assert.Equal(
        [
            "Skipped 2 rows that are malformed (the first: u.data:3: first).",
            "Skipped 1 row with a rating outside 0.5 to 5 (the first: u.data:6: rating 9 is outside 0.5 to 5).",
            "Skipped 1 row repeating an id already listed (the first: u.user:2: user id 1 appears twice).",
        ], policy.Describe());
    }

    [Fact]
    public void SkippedCountsAreWrittenWithThousandsSeparatorsAndOneMalformedRowIsSingular()
    {
        var policy = new BadRowPolicy(skip: true);
        for (var i = 0; i < 1234; i++) policy.Row(Bad(BadRowKind.UnknownMovie, $"ratings.csv:{i + 2}: movieId 7 is not in the catalogue (movies.csv)"));
        policy.Row(Bad(BadRowKind.Malformed, "ratings.csv:9999: expected 4 comma-separated fields, found 3"));
        Assert.Equal(
        [
            "Skipped 1 row that is malformed (the first: ratings.csv:9999: expected 4 comma-separated fields, found 3).",
            "Skipped 1,234 rows naming a movie the catalogue lacks (the first: ratings.csv:2: movieId 7 is not in the catalogue (movies.csv)).",
        ], policy.Describe());
    }

    [Fact]
    public void OtherExceptionsPassThroughEvenWhenSkipping()
    {
        var policy = new BadRowPolicy(skip: true);
        var wrongFile = new InvalidDataException("movies.csv:1: expected the header 'movieId,title,genres', found 'x'.");
        Assert.Same(wrongFile, Assert.Throws<InvalidDataException>(() => policy.Row(() => throw wrongFile)));
        Assert.Throws<IOException>(() => policy.Row(() => throw new IOException("disk")));
        Assert.Empty(policy.Counts);
    }
}
