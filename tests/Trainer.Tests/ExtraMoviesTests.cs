using MovieRecommender.Artifacts;
using MovieRecommender.Trainer.Data;

namespace MovieRecommender.Trainer.Tests;

/// <summary>
/// <c>train --extra-movies FILE</c> (movieId,title,genres,year, as the console's export-catalogue writes it): a listed
/// movie's title, genres and year replaced, a new id added to the catalogue, and a bad row refused in one line naming
/// the file and line, as a bad ratings row is.
/// </summary>
public sealed class ExtraMoviesTests
{
    private const string Header = "movieId,title,genres,year\n";

    [Fact]
    public void AListedMovieIsReplacedAndANewOneAddedEvenWithoutRatings()
    {
        using var data = new TempFolder();
        TestData.WriteSynthetic100K(data.Path);
        var before = MovieLensLoader.Load(data.Path);
        var movies = data.Write("movies.csv", Header + "1,\"Renamed, The (2001)\",Sci-Fi|Drama,2001\n500,Brand New Film (2024),Animation,2024\n501,Rated Newcomer,,\n");
        var ratings = data.Write("ratings.csv", "userId,movieId,rating,timestamp\n1,501,4,1700000000\n");
        var lines = new List<string>();

        var after = MovieLensLoader.Load(data.Path, ratings, report: lines.Add, extraMovies: movies);

        Assert.Equal(before.Items.Count + 2, after.Items.Count);
        var renamed = Assert.Single(after.Items, i => i.Id == "1");
        Assert.Equal(("Renamed, The (2001)", 2001), (renamed.Title, renamed.Year));
        Assert.Equal(["Sci-Fi", "Drama"], renamed.Genres);
        var added = Assert.Single(after.Items, i => i.Id == "500");
        Assert.Equal(("Brand New Film (2024)", 2024), (added.Title, added.Year));
        Assert.DoesNotContain(Enumerable.Range(0, after.PairCount), p => after.Items[after.PairItems[p]].Id == "500");
        var rated = Assert.Single(after.Items, i => i.Id == "501");
        Assert.Null(rated.Year);
        Assert.Empty(rated.Genres);
        Assert.Single(Enumerable.Range(0, after.PairCount), p => after.Items[after.PairItems[p]].Id == "501");
        Assert.Contains($"Merged 3 movies from {movies}: 1 replaced, 2 added.", lines);
    }

    [Fact]
    public void TheMlLatestCatalogueTakesThemTheSameWay()
    {
        using var data = new TempFolder();
        TestData.WriteSyntheticLatest(data.Path, users: 20, items: 30);
        var movies = data.Write("extra.csv", Header + "10,Film One Again (1999),Comedy,1999\n99999,A New One (2025),Drama|Indie,2025\n");

        var dataset = MovieLensLoader.Load(data.Path, extraMovies: movies);

        Assert.Equal("Film One Again (1999)", Assert.Single(dataset.Items, i => i.Id == "10").Title);
        Assert.Equal(["Drama", "Indie"], Assert.Single(dataset.Items, i => i.Id == "99999").Genres);
    }

    [Fact]
    public async Task TrainWritesTheAddedAndReplacedMoviesIntoTheArtifact()
    {
        using var data = new TempFolder();
        using var output = new TempFolder();
        TestData.WriteSynthetic100K(data.Path, users: 30, items: 20);
        var movies = data.Write("movies.csv", Header + "2,Second Movie Renamed (1993),Western,1993\n700,Brand New Film (2024),Animation|Comedy,2024\n");

        var result = await TrainerProgram.RunAsync("train", "--data", data.Path, "--out", output.Path, "--extra-movies", movies,
            "--dim", "8", "--epochs", "1", "--threads", "1");

        Assert.True(result.ExitCode == 0, result.Output);
        var items = ModelArtifact.Load(result.LastLine).Items;
        Assert.Equal(21, items.Count);
        var added = Assert.Single(items, i => i.Id == "700");
        Assert.Equal(("Brand New Film (2024)", 2024), (added.Title, added.Year));
        Assert.Equal(["Animation", "Comedy"], added.Genres);
        var renamed = Assert.Single(items, i => i.Id == "2");
        Assert.Equal(("Second Movie Renamed (1993)", 1993), (renamed.Title, renamed.Year));
        Assert.Equal(["Western"], renamed.Genres);
    }

    [Theory]
    [InlineData("x7,A Title (2001),Drama,2001", "movieId 'x7' is not an integer")]
    [InlineData("7,A Title (2001),Drama", "expected 4 comma-separated fields (movieId, title, genres, year), found 3; quote a title that holds commas")]
    [InlineData("7,A Title (2001),Drama,2001,extra", "expected 4 comma-separated fields (movieId, title, genres, year), found 5; quote a title that holds commas")]
    [InlineData("7,An Old Title,Drama,1700", "year 1700 is outside 1800 to 2100")]
    [InlineData("7, ,Drama,2001", "the title is empty")]
    [InlineData("0,A Title,Drama,2001", "movieId 0 is not a positive integer")]
    public async Task ABadRowStopsTrainInOneLineNamingTheFileAndLine(string row, string fault)
    {
        using var data = new TempFolder();
        using var output = new TempFolder();
        TestData.WriteSynthetic100K(data.Path, users: 30, items: 20);
        var movies = data.Write("movies.csv", Header + "700,Brand New Film (2024),Animation,2024\n" + row + "\n");

        var result = await TrainerProgram.RunAsync("train", "--data", data.Path, "--out", output.Path, "--extra-movies", movies);

        Assert.Equal(1, result.ExitCode);
        var line = Assert.Single(result.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        Assert.Equal($"recommender-trainer: {movies}:3: {fault} (--skip-bad-rows skips such rows).", line);
        Assert.Empty(Directory.EnumerateFileSystemEntries(output.Path));
    }

    [Fact]
    public void SkippingBadRowsKeepsTheGoodMovies()
    {
        using var data = new TempFolder();
        TestData.WriteSynthetic100K(data.Path);
        var movies = data.Write("movies.csv", Header + "500,Good One (2020),Drama,2020\n501,Bad Year,Drama,1700\n");

        var dataset = MovieLensLoader.Load(data.Path, skipBadRows: true, extraMovies: movies);

        Assert.Contains(dataset.Items, i => i.Id == "500");
        Assert.DoesNotContain(dataset.Items, i => i.Id == "501");
        Assert.Equal(1, dataset.SkippedRows[BadRowKind.Malformed]);
    }
}
