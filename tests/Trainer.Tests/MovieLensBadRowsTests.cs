using System.Text;
using MovieRecommender.Trainer.Data;

namespace MovieRecommender.Trainer.Tests;

/// <summary>
/// Dirty MovieLens files, in both layouts: by default the first bad row stops the load with file:line and the fault;
/// with skipBadRows (the commands' --skip-bad-rows) bad rows are skipped and counted by kind; a byte order mark, CRLF
/// line ends and quoted commas are not faults; repeated ratings are merged and reported.
/// </summary>
public sealed class MovieLensBadRowsTests
{
    private static readonly string[] CleanItems =
    [
        TestData.ItemLine(1, "Toy Story (1995)", "01-Jan-1995", 3, 4, 5),
        TestData.ItemLine(2, "GoldenEye (1995)", "01-Jan-1995", 1),
        TestData.ItemLine(3, "Four Rooms (1995)", "01-Jan-1995", 16),
    ];

    private static readonly string[] CleanRatings =
    [
        "1\t1\t5\t881250949",
        "1\t2\t3\t881250950",
        "2\t1\t4\t881250951",
        "2\t3\t1\t881250952",
        "3\t2\t2\t881250953",
    ];

    private const string CleanUsers = "1|24|M|technician|85711\n2|53|F|other|94043\n3|23|M|writer|32067\n";

    private static TempFolder Folder100K(IEnumerable<string>? items = null, IEnumerable<string>? ratings = null, string? users = null)
    {
        var dir = new TempFolder();
        dir.Write("u.item", string.Join('\n', items ?? CleanItems) + "\n", Encoding.Latin1);
        dir.Write("u.data", string.Join('\n', ratings ?? CleanRatings) + "\n");
        dir.Write("u.user", users ?? CleanUsers);
        return dir;
    }

    private const string CleanMovies = "movieId,title,genres\n1,Toy Story (1995),Animation\n11,\"American President, The (1995)\",Comedy|Drama\n12,\"Dracula: Dead and Loving It (1995)\",Horror\n";

    private static readonly string[] CleanCsvRatings =
    [
        "userId,movieId,rating,timestamp",
        "1,1,4.0,964982703",
        "1,11,4.5,964981247",
        "2,11,3.0,964982224",
        "2,12,0.5,964982931",
    ];

    private static TempFolder FolderLatest(string? movies = null, IEnumerable<string>? ratings = null)
    {
        var dir = new TempFolder();
        dir.Write("movies.csv", movies ?? CleanMovies);
        dir.Write("ratings.csv", string.Join('\n', ratings ?? CleanCsvRatings) + "\n");
        return dir;
    }

    /// <summary>(user id, movie id) of every interaction, in order.</summary>
    private static List<(string User, string Movie)> Pairs(InteractionDataset ds) =>
        ds.PairUsers.Zip(ds.PairItems, (u, i) => (ds.Users[u].Id, ds.Items[i].Id)).ToList();

    private static InvalidDataException Refused(string dir, string? extra = null) =>
        Assert.Throws<InvalidDataException>(() => MovieLensLoader.Load(dir, extra));

    // ---------------------------------------------------------------- ML-100K: each bad row stops the load

    public static TheoryData<string, string, string> Bad100KRows => new()
    {
        // u.data row, expected message (after "u.data:4: "), the kind's name
        { "1\t99\t3\t881250949", "movie id 99 is not in u.item (--skip-bad-rows skips such rows).", nameof(BadRowKind.UnknownMovie) },
        { "1\t2\t3", "expected 4 tab-separated fields, found 3 (a row is: user, movie, rating, timestamp) (--skip-bad-rows skips such rows).", nameof(BadRowKind.Malformed) },
        { "1\t2\t3\t881250949\textra", "expected 4 tab-separated fields, found 5 (a row is: user, movie, rating, timestamp) (--skip-bad-rows skips such rows).", nameof(BadRowKind.Malformed) },
        { "x\t2\t3\t881250949", "user id 'x' is not an integer (--skip-bad-rows skips such rows).", nameof(BadRowKind.Malformed) },
        { "1\t2\tfive\t881250949", "rating 'five' is not a number (--skip-bad-rows skips such rows).", nameof(BadRowKind.Malformed) },
        { "1\t2\tNaN\t881250949", "rating 'NaN' is not a number (--skip-bad-rows skips such rows).", nameof(BadRowKind.Malformed) },
        { "1\t2\t6\t881250949", "rating 6 is outside 0.5 to 5 (--skip-bad-rows skips such rows).", nameof(BadRowKind.RatingOutOfRange) },
        { "1\t2\t0\t881250949", "rating 0 is outside 0.5 to 5 (--skip-bad-rows skips such rows).", nameof(BadRowKind.RatingOutOfRange) },
        { "1\t2\t-3\t881250949", "rating -3 is outside 0.5 to 5 (--skip-bad-rows skips such rows).", nameof(BadRowKind.RatingOutOfRange) },
        { "1\t2\tInfinity\t881250949", "rating Infinity is outside 0.5 to 5 (--skip-bad-rows skips such rows).", nameof(BadRowKind.RatingOutOfRange) },
        { "99999999999\t2\t3\t881250949", "user id '99999999999' is not an integer (--skip-bad-rows skips such rows).", nameof(BadRowKind.Malformed) },
    };

    [Theory]
    [MemberData(nameof(Bad100KRows))]
    public void Ml100KABadUDataRowStopsTheLoadNamingFileLineAndFaultAndSkippingCountsIt(string row, string fault, string kind)
    {
        using var dir = Folder100K(ratings: [.. CleanRatings[..3], row, .. CleanRatings[3..]]);
        var error = Refused(dir.Path);
        Assert.Equal($"{Path.Combine(dir.Path, "u.data")}:4: {fault}", error.Message);

        var report = new List<string>();
        var ds = MovieLensLoader.Load(dir.Path, skipBadRows: true, report: report.Add);
        Assert.Equal(new Dictionary<BadRowKind, int> { [Enum.Parse<BadRowKind>(kind)] = 1 }, ds.SkippedRows);
        var line = Assert.Single(report);
        Assert.StartsWith("Skipped 1 row ", line);
        Assert.Contains($"u.data:4: {fault.Replace(" (--skip-bad-rows skips such rows).", "")})", line);
        using var clean = Folder100K();
        Assert.Equal(Pairs(MovieLensLoader.Load(clean.Path)), Pairs(ds));
    }

    [Fact]
    public void Ml100KBadCatalogueAndUserRowsStopTheLoadAndAreSkippedByKind()
    {
        using var duplicate = Folder100K(items: [.. CleanItems, TestData.ItemLine(2, "Again (1996)", "")]);
        Assert.Equal($"{Path.Combine(duplicate.Path, "u.item")}:4: movie id 2 appears twice (--skip-bad-rows skips such rows).", Refused(duplicate.Path).Message);

        using var shortItem = Folder100K(items: [.. CleanItems, "4|Short (1996)|01-Jan-1996"]);
        Assert.Equal($"{Path.Combine(shortItem.Path, "u.item")}:4: expected 24 '|'-separated fields (id, title, release date, video date, URL, 19 genre flags), found 3 (--skip-bad-rows skips such rows).",
            Refused(shortItem.Path).Message);

        using var flag = Folder100K(items: [.. CleanItems, TestData.ItemLine(4, "Flag (1996)", "").Replace("|0|0|0|0", "|0|2|0|0")]);
        Assert.Contains("u.item:4: genre flag", Refused(flag.Path).Message);

        using var user = Folder100K(users: CleanUsers + "3|40|F|artist|12345\n");
        Assert.Equal($"{Path.Combine(user.Path, "u.user")}:4: user id 3 appears twice (--skip-bad-rows skips such rows).", Refused(user.Path).Message);

        using var age = Folder100K(users: CleanUsers.Replace("2|53|", "2|old|"));
        Assert.Equal($"{Path.Combine(age.Path, "u.user")}:2: age 'old' is not an integer (--skip-bad-rows skips such rows).", Refused(age.Path).Message);

        // All at once, skipped: the first movie 2 and user 3 are kept; user 2 loses its demographics, not its ratings.
        using var dirty = Folder100K(
            items: [.. CleanItems, TestData.ItemLine(2, "Again (1996)", ""), "4|Short (1996)|01-Jan-1996"],
            ratings: [.. CleanRatings, "1\t4\t3\t881250960", "1\t1\t9\t881250961", "garbage"],
            users: CleanUsers.Replace("2|53|", "2|old|") + "3|40|F|artist|12345\n");
        var report = new List<string>();
        var ds = MovieLensLoader.Load(dirty.Path, skipBadRows: true, report: report.Add);
        Assert.Equal(new Dictionary<BadRowKind, int>
        {
            [BadRowKind.Malformed] = 3, [BadRowKind.DuplicateId] = 2, [BadRowKind.UnknownMovie] = 1, [BadRowKind.RatingOutOfRange] = 1,
        }, ds.SkippedRows);
        Assert.Equal(4, report.Count);
        Assert.StartsWith("Skipped 3 rows that are malformed (the first: ", report[0]);
        Assert.StartsWith("Skipped 1 row naming a movie the catalogue lacks (the first: ", report[1]);
        Assert.Contains("u.data:6: movie id 4 is not in u.item)", report[1]);
        Assert.StartsWith("Skipped 1 row with a rating outside 0.5 to 5 (the first: ", report[2]);
        Assert.StartsWith("Skipped 2 rows repeating an id already listed (the first: ", report[3]);
        Assert.Equal("GoldenEye (1995)", ds.Items.Single(i => i.Id == "2").Title);
        Assert.Equal("writer", ds.Users.Single(u => u.Id == "3").Occupation);
        Assert.Null(ds.Users.Single(u => u.Id == "2").Age);
        using var clean = Folder100K();
        Assert.Equal(Pairs(MovieLensLoader.Load(clean.Path)), Pairs(ds));
    }

    [Fact]
    public void Ml100KAByteOrderMarkAndCrlfLineEndsLoadAsTheCleanFilesDo()
    {
        using var clean = Folder100K();
        using var windows = new TempFolder();
        var bom = new UTF8Encoding(true);
        windows.Write("u.item", string.Join("\r\n", CleanItems) + "\r\n", bom);
        windows.Write("u.data", string.Join("\r\n", CleanRatings) + "\r\n", bom);
        windows.Write("u.user", CleanUsers.Replace("\n", "\r\n"), bom);

        var expected = MovieLensLoader.Load(clean.Path);
        var actual = MovieLensLoader.Load(windows.Path);
        Assert.Equal(Pairs(expected), Pairs(actual));
        Assert.Equal(expected.Items, actual.Items, (a, b) => a.Id == b.Id && a.Title == b.Title && a.Genres.SequenceEqual(b.Genres) && a.Year == b.Year);
        Assert.Equal(expected.Users, actual.Users);
        Assert.Empty(actual.SkippedRows);
    }

    [Fact]
    public void RepeatedRatingsOfAPairAreMergedIntoOneInteractionAndReported()
    {
        using var dir = Folder100K(ratings: [.. CleanRatings, "1\t1\t2\t881250990", "1\t1\t4\t881250991"]);
        var report = new List<string>();
        var ds = MovieLensLoader.Load(dir.Path, report: report.Add);
        Assert.Equal(7, ds.Ratings);
        Assert.Equal(5, ds.PairCount);
        Assert.Equal("2 ratings repeat a (user, movie) pair already rated: merged, each pair is one interaction whatever its ratings.", Assert.Single(report));
    }

    // ---------------------------------------------------------------- ml-latest

    public static TheoryData<string, string, string> BadCsvRows => new()
    {
        { "1,99,4.0,964982703", "movieId 99 is not in the catalogue (movies.csv) (--skip-bad-rows skips such rows).", nameof(BadRowKind.UnknownMovie) },
        { "1,12,4.0", "expected 4 comma-separated fields, found 3 (a row is: userId, movieId, rating, timestamp) (--skip-bad-rows skips such rows).", nameof(BadRowKind.Malformed) },
        { "1,12,4.0,964982703,x", "expected 4 comma-separated fields, found 5 (a row is: userId, movieId, rating, timestamp) (--skip-bad-rows skips such rows).", nameof(BadRowKind.Malformed) },
        { "1,12,5.5,964982703", "rating 5.5 is outside 0.5 to 5 (--skip-bad-rows skips such rows).", nameof(BadRowKind.RatingOutOfRange) },
        { "1,12,0.0,964982703", "rating 0.0 is outside 0.5 to 5 (--skip-bad-rows skips such rows).", nameof(BadRowKind.RatingOutOfRange) },
        { "1,12,4.0,yesterday", "timestamp 'yesterday' is not an integer (--skip-bad-rows skips such rows).", nameof(BadRowKind.Malformed) },
    };

    [Theory]
    [MemberData(nameof(BadCsvRows))]
    public void MlLatestABadRatingsCsvRowStopsTheLoadNamingFileLineAndFaultAndSkippingCountsIt(string row, string fault, string kind)
    {
        using var dir = FolderLatest(ratings: [.. CleanCsvRatings[..3], row, .. CleanCsvRatings[3..]]);
        Assert.Equal($"{Path.Combine(dir.Path, "ratings.csv")}:4: {fault}", Refused(dir.Path).Message);

        var report = new List<string>();
        var ds = MovieLensLoader.Load(dir.Path, skipBadRows: true, report: report.Add);
        Assert.Equal(new Dictionary<BadRowKind, int> { [Enum.Parse<BadRowKind>(kind)] = 1 }, ds.SkippedRows);
        Assert.Single(report);
        using var clean = FolderLatest();
        Assert.Equal(Pairs(MovieLensLoader.Load(clean.Path)), Pairs(ds));
    }

    [Fact]
    public void MlLatestBadMoviesCsvRowsStopTheLoadAndAreSkippedByKind()
    {
        using var unclosed = FolderLatest(movies: CleanMovies + "13,\"Unclosed, (1995),Drama\n");
        Assert.Equal($"{Path.Combine(unclosed.Path, "movies.csv")}:5: a quoted field is not closed (--skip-bad-rows skips such rows).", Refused(unclosed.Path).Message);

        using var unquoted = FolderLatest(movies: CleanMovies + "13,Comma, The (1995),Drama\n");
        Assert.Equal($"{Path.Combine(unquoted.Path, "movies.csv")}:5: expected 3 comma-separated fields (movieId, title, genres), found 4; quote a title that holds commas (--skip-bad-rows skips such rows).",
            Refused(unquoted.Path).Message);

        using var duplicate = FolderLatest(movies: CleanMovies + "11,Another (1990),Drama\n");
        Assert.Equal($"{Path.Combine(duplicate.Path, "movies.csv")}:5: movieId 11 appears twice (--skip-bad-rows skips such rows).", Refused(duplicate.Path).Message);

        using var header = FolderLatest(movies: "id;title;genres\n1;A;B\n");
        Assert.StartsWith($"{Path.Combine(header.Path, "movies.csv")}:1: expected the header 'movieId,title,genres'", Refused(header.Path).Message);
        // A wrong header is the wrong file, not a bad row: not skipped.
        Assert.Throws<InvalidDataException>(() => MovieLensLoader.Load(header.Path, skipBadRows: true));

        using var dirty = FolderLatest(movies: CleanMovies + "13,\"Unclosed, (1995),Drama\n11,Another (1990),Drama\n");
        var ds = MovieLensLoader.Load(dirty.Path, skipBadRows: true);
        Assert.Equal(new Dictionary<BadRowKind, int> { [BadRowKind.Malformed] = 1, [BadRowKind.DuplicateId] = 1 }, ds.SkippedRows);
        Assert.Equal("American President, The (1995)", ds.Items.Single(i => i.Id == "11").Title);
    }

    [Fact]
    public void MlLatestAByteOrderMarkCrlfAndQuotedCommasLoadAsTheCleanFilesDo()
    {
        using var clean = FolderLatest();
        using var windows = new TempFolder();
        var bom = new UTF8Encoding(true);
        windows.Write("movies.csv", CleanMovies.Replace("\n", "\r\n"), bom);
        windows.Write("ratings.csv", string.Join("\r\n", CleanCsvRatings) + "\r\n", bom);

        var expected = MovieLensLoader.Load(clean.Path);
        var actual = MovieLensLoader.Load(windows.Path);
        Assert.Equal(Pairs(expected), Pairs(actual));
        Assert.Equal(["Toy Story (1995)", "American President, The (1995)", "Dracula: Dead and Loving It (1995)"], actual.Items.Select(i => i.Title));
        Assert.Equal(["Comedy", "Drama"], actual.Items[1].Genres);
        Assert.Equal(1995, actual.Items[1].Year);
    }

    // ---------------------------------------------------------------- --extra-ratings (the console's export-ratings file)

    [Fact]
    public void ExtraRatingsWithABomAndCrlfMergeAndTheirBadRowsStopTheLoadOrAreSkipped()
    {
        using var dir = Folder100K();
        var extra = dir.Write("extra.csv", "userId,movieId,rating,timestamp\r\n42,3,5,1700000000\r\n42,3,4.5,1700000001\r\n", new UTF8Encoding(true));
        var report = new List<string>();
        var merged = MovieLensLoader.Load(dir.Path, extra, report: report.Add);
        Assert.Contains(("42", "3"), Pairs(merged));
        Assert.Equal("1 rating repeats a (user, movie) pair already rated: merged, each pair is one interaction whatever its ratings.", Assert.Single(report));

        var bad = dir.Write("bad.csv", "userId,movieId,rating,timestamp\n42,3,5,1700000000\n42,77,5,1700000000\n42,1,7,1700000000\n");
        Assert.Equal($"{bad}:3: movieId 77 is not in the catalogue (u.item) (--skip-bad-rows skips such rows).", Refused(dir.Path, bad).Message);
        var skipped = MovieLensLoader.Load(dir.Path, bad, skipBadRows: true);
        Assert.Equal(new Dictionary<BadRowKind, int> { [BadRowKind.UnknownMovie] = 1, [BadRowKind.RatingOutOfRange] = 1 }, skipped.SkippedRows);
        Assert.Contains(("42", "3"), Pairs(skipped));
        Assert.DoesNotContain(Pairs(skipped), p => p.User == "42" && p.Movie == "1");

        var header = dir.Write("header.csv", "user,movie,rating\n42,3,5\n");
        Assert.StartsWith($"{header}:1: expected the header 'userId,movieId,rating,timestamp'", Refused(dir.Path, header).Message);
    }
}
