using System.Text;
using MovieRecommender.Trainer.Data;

namespace MovieRecommender.Trainer.Tests;

/// <summary>
/// The parsing every layout reader shares: fields (<see cref="FieldParser"/>), the ratings, users and movies rows
/// (<see cref="RatingRowFormat"/>, <see cref="UserRowFormat"/>, <see cref="MovieRowFormat"/>) and the line loop with its
/// header check (<see cref="LayoutReader.ReadRows"/>), on their own.
/// </summary>
public sealed class RowFormatTests
{
    private static readonly RatingRowFormat DatRatings =
        new(FieldSeparator.DoubleColon, "UserID", "MovieID", "Rating", "Timestamp", "UserID, MovieID, Rating, Timestamp");

    private static BadRowException Refused(Action parse) => Assert.Throws<BadRowException>(parse);

    [Fact]
    public void AnIdIsItsIntegersCanonicalText()
    {
        Assert.Equal("7", FieldParser.Id("007", "f", 1, "id"));
        Assert.Equal("7", FieldParser.Id(" 7", "f", 1, "id"));
        Assert.Equal("-3", FieldParser.Id("-3", "f", 1, "id"));
        Assert.Equal(BadRowKind.Malformed, Refused(() => FieldParser.Id("7.0", "f", 1, "id")).Kind);
    }

    [Fact]
    public void ARefusedFieldIsShownPrintableAndShortened()
    {
        var e = Refused(() => FieldParser.Long("12\t" + new string('9', 50), "ratings.dat", 12, "Timestamp"));
        Assert.Equal(BadRowKind.Malformed, e.Kind);
        Assert.Equal($"ratings.dat:12: Timestamp '12 {new string('9', 37)}...' is not an integer", e.Fault);
    }

    [Fact]
    public void RatingsFromHalfToFiveAreKeptOthersAreOutOfRangeAndNonNumbersMalformed()
    {
        Assert.Equal(0.5, FieldParser.Rating("0.5", "f", 1, "rating"));
        Assert.Equal(5, FieldParser.Rating("5", "f", 1, "rating"));
        var high = Refused(() => FieldParser.Rating("5.01", "f", 2, "rating"));
        Assert.Equal((BadRowKind.RatingOutOfRange, "f:2: rating 5.01 is outside 0.5 to 5"), (high.Kind, high.Fault));
        Assert.Equal(BadRowKind.RatingOutOfRange, Refused(() => FieldParser.Rating("0.49", "f", 2, "rating")).Kind);
        Assert.Equal(BadRowKind.Malformed, Refused(() => FieldParser.Rating("NaN", "f", 2, "rating")).Kind);
        Assert.Equal(BadRowKind.Malformed, Refused(() => FieldParser.Rating("4,5", "f", 2, "rating")).Kind);
    }

    [Fact]
    public void ARatingRowGivesItsUserAndMovieKeyAndChecksItsFieldsInOrder()
    {
        Func<string, string?> keyOf = movie => movie == "2" ? "Movie Two" : null;
        Assert.Equal(("10", "Movie Two"), DatRatings.Parse("010::2::4::978300760", "ratings.dat", 3, keyOf, "movies.dat"));

        // A row with several faults is refused for the first field's: user, movie, rating, timestamp, then the catalogue.
        Assert.Equal("ratings.dat:3: UserID 'x' is not an integer", Refused(() => DatRatings.Parse("x::y::9::z", "ratings.dat", 3, keyOf, "movies.dat")).Fault);
        Assert.Equal("ratings.dat:3: MovieID 'y' is not an integer", Refused(() => DatRatings.Parse("1::y::9::z", "ratings.dat", 3, keyOf, "movies.dat")).Fault);
        Assert.Equal("ratings.dat:3: Rating 9 is outside 0.5 to 5", Refused(() => DatRatings.Parse("1::5::9::z", "ratings.dat", 3, keyOf, "movies.dat")).Fault);
        Assert.Equal("ratings.dat:3: Timestamp 'z' is not an integer", Refused(() => DatRatings.Parse("1::5::4::z", "ratings.dat", 3, keyOf, "movies.dat")).Fault);
        var unknown = Refused(() => DatRatings.Parse("1::5::4::978300760", "ratings.dat", 3, keyOf, "movies.dat"));
        Assert.Equal((BadRowKind.UnknownMovie, "ratings.dat:3: MovieID 5 is not in movies.dat"), (unknown.Kind, unknown.Fault));
        Assert.Equal("ratings.dat:3: expected 4 '::'-separated fields, found 5 (a row is: UserID, MovieID, Rating, Timestamp)",
            Refused(() => DatRatings.Parse("1::2::4::978300760::x", "ratings.dat", 3, keyOf, "movies.dat")).Fault);
    }

    [Fact]
    public void AUserRowTakesAgeAndGenderFromItsLayoutsColumnsAndKeepsTheFirstOfAnId()
    {
        using var dir = new TempFolder();
        var path = dir.Write("users.txt", "1|F|25|writer|\n\n1|M|40|artist|12345\n2|M|old|artist|12345\n");
        var format = new UserRowFormat(FieldSeparator.Pipe, "id, gender, age, occupation, zip", "user", "age", AgeColumn: 2, GenderColumn: 1);
        var policy = new BadRowPolicy(skip: true);

        var users = format.Read(path, Encoding.UTF8, policy);

        Assert.Equal(new DatasetUser("1", 25, "F", "writer", null), Assert.Single(users.Values));
        Assert.Equal(new Dictionary<BadRowKind, int> { [BadRowKind.DuplicateId] = 1, [BadRowKind.Malformed] = 1 }, policy.Counts);
        Assert.Equal(
        [
            $"Skipped 1 row that is malformed (the first: {path}:4: age 'old' is not an integer).",
            $"Skipped 1 row repeating an id already listed (the first: {path}:3: user 1 appears twice).",
        ], policy.Describe());
    }

    [Fact]
    public void AMovieRowSplitsItsGenresReadsTheTitlesYearAndRefusesAnIdTwice()
    {
        var format = new MovieRowFormat(FieldSeparator.Comma, "movieId, title, genres", "movieId", "; quote a title that holds commas");
        var movies = new Dictionary<string, DatasetItem>();
        format.Add(movies, ["01", " Heat (1995) ", "Action|Crime"], "movies.csv", 2);
        format.Add(movies, ["2", "Untitled", "(no genres listed)"], "movies.csv", 3);

        Assert.Equal(["1", "2"], movies.Keys);
        Assert.Equal(("1", "Heat (1995)", 1995), (movies["1"].Id, movies["1"].Title, movies["1"].Year));
        Assert.Equal(["Action", "Crime"], movies["1"].Genres);
        Assert.Empty(movies["2"].Genres);
        Assert.Null(movies["2"].Year);

        var twice = Refused(() => format.Add(movies, ["1", "Heat again (1996)", "Drama"], "movies.csv", 4));
        Assert.Equal((BadRowKind.DuplicateId, "movies.csv:4: movieId 1 appears twice"), (twice.Kind, twice.Fault));
        Assert.Equal("Heat (1995)", movies["1"].Title);
        Assert.Equal("movies.csv:5: expected 3 comma-separated fields (movieId, title, genres), found 4; quote a title that holds commas",
            Refused(() => format.Add(movies, ["3", "Comma", " The", "Drama"], "movies.csv", 5)).Fault);
    }

    [Fact]
    public void RowsAreNumberedByFileLineEmptyLinesSkippedAndTheHeaderIsNoRow()
    {
        using var dir = new TempFolder();
        var path = dir.Write("r.csv", "\uFEFFa,b,c\r\nrow 2\r\n\r\nrow 4\r\n");
        var rows = new List<(string, int)>();
        LayoutReader.ReadRows(path, Encoding.UTF8, new BadRowPolicy(skip: false), (line, number) => rows.Add((line, number)), ("a,b,c", "a,b"));
        Assert.Equal([("row 2", 2), ("row 4", 4)], rows);

        var headerless = new List<int>();
        LayoutReader.ReadRows(path, Encoding.UTF8, new BadRowPolicy(skip: false), (_, number) => headerless.Add(number));
        Assert.Equal([1, 2, 4], headerless);
    }

    [Fact]
    public void AWrongHeaderStopsTheReadEvenWhenSkipping()
    {
        using var dir = new TempFolder();
        var path = dir.Write("r.csv", "x,y\n1,2\n");
        var parsed = 0;
        var e = Assert.Throws<InvalidDataException>(() =>
            LayoutReader.ReadRows(path, Encoding.UTF8, new BadRowPolicy(skip: true), (_, _) => parsed++, ("a,b,c", "a,b")));
        Assert.Equal($"{path}:1: expected the header 'a,b,c', found 'x,y'.", e.Message);
        Assert.Equal(0, parsed);
    }
}
