using MovieRecommender.Artifacts;
using System.Text;
using MovieRecommender.Trainer.Data;

namespace MovieRecommender.Trainer.Tests;

public class MovieLensLoaderTests
{
    private static TempFolder Small100K()
    {
        var dir = new TempFolder();
        dir.Write("u.item", string.Join('\n',
            TestData.ItemLine(1, "Toy Story (1995)", "01-Jan-1995", 3, 4, 5),
            TestData.ItemLine(2, "Café Society (1995)", "01-Jan-1995", 8),
            TestData.ItemLine(3, "Chasing Amy (1997)", "01-Jan-1997", 5, 8),
            TestData.ItemLine(7, "Chasing Amy (1997)", "", 5, 14),
            TestData.ItemLine(5, "Old One", "", 1)) + "\n", Encoding.Latin1);
        dir.Write("u.user", "1|24|M|technician|85711\n2|53|F|other|94043\n10|15|M|student|T8H1N\n");
        dir.Write("u.data", string.Join('\n',
            "1\t1\t5\t881250949",
            "1\t3\t3\t881250950",
            "1\t7\t4\t881250951",   // same title as 3: the same movie, collapses
            "2\t1\t2\t881250952",
            "2\t1\t4\t881250953",   // repeated rating: collapses
            "10\t2\t1\t881250954",
            "2\t7\t1\t881250955")) ;
        return dir;
    }

    [Fact]
    public void Ml100KMergesDuplicateTitlesAndCollapsesRepeatedRatings()
    {
        using var dir = Small100K();
        var ds = MovieLensLoader.Load(dir.Path);
        Assert.Equal(DatasetLayout.MovieLens100K, ds.Layout);
        Assert.Equal(7, ds.Ratings);
        Assert.Equal(5, ds.PairCount); // (1,Toy) (1,Amy) (2,Toy) (10,Café) (2,Amy)
        // Users sorted as strings, items sorted by title (the reference's sorted()).
        Assert.Equal(["1", "10", "2"], ds.Users.Select(u => u.Id));
        Assert.Equal(["Café Society (1995)", "Chasing Amy (1997)", "Toy Story (1995)"], ds.Items.Select(i => i.Title));
        var amy = ds.Items[1];
        Assert.Equal("3", amy.Id); // the smallest id of the merged title
        Assert.Equal(["Comedy", "Drama"], amy.Genres);
        Assert.Equal(1997, amy.Year);
        Assert.Equal("Café Society (1995)", ds.Items[0].Title); // latin-1 decoded
        var pairs = ds.PairUsers.Zip(ds.PairItems, (u, i) => (ds.Users[u].Id, ds.Items[i].Id)).ToList();
        Assert.Equal([("1", "1"), ("1", "3"), ("2", "1"), ("10", "2"), ("2", "3")], pairs);
        Assert.Equal(new DatasetUser("10", 15, "M", "student", "T8H1N"), ds.Users[1]);
        Assert.True(ds.HasUserFeatures);
    }

    [Fact]
    public void Ml100KReadsGenreNamesFromUGenreWhenPresent()
    {
        using var dir = Small100K();
        var names = Enumerable.Range(0, 19).Select(g => $"g{g}").ToList();
        dir.Write("u.genre", string.Join('\n', names.Select((n, k) => $"{n}|{k}")) + "\n\n");
        var ds = MovieLensLoader.Load(dir.Path);
        Assert.Equal(["g3", "g4", "g5"], ds.Items[2].Genres);
    }

    [Fact]
    public void MalformedUDataRowNamesFileAndLine()
    {
        using var dir = Small100K();
        dir.Write("u.data", "1\t1\t5\t881250949\n1\t3\t3\n");
        var e = Assert.Throws<InvalidDataException>(() => MovieLensLoader.Load(dir.Path));
        Assert.Contains("u.data:2:", e.Message);
        Assert.Contains("expected 4 tab-separated fields, found 3", e.Message);
    }

    [Fact]
    public void UnknownMovieAndBadNumberNameTheLine()
    {
        using var dir = Small100K();
        dir.Write("u.data", "1\t1\t5\t881250949\n1\t99\t3\t881250949\n");
        Assert.Contains("u.data:2: movie id 99", Assert.Throws<InvalidDataException>(() => MovieLensLoader.Load(dir.Path)).Message);
        dir.Write("u.data", "1\t1\t5\t881250949\n1\t1\t5\t881250949\nx\t1\t5\t881250949\n");
        Assert.Contains("u.data:3: user id 'x' is not an integer", Assert.Throws<InvalidDataException>(() => MovieLensLoader.Load(dir.Path)).Message);
    }

    [Fact]
    public void MalformedUItemRowNamesFileAndLine()
    {
        using var dir = Small100K();
        dir.Write("u.item", TestData.ItemLine(1, "A (1995)", "") + "\n2|B (1996)|01-Jan-1996\n");
        var e = Assert.Throws<InvalidDataException>(() => MovieLensLoader.Load(dir.Path));
        Assert.Contains("u.item:2:", e.Message);
    }

    [Fact]
    public void MissingFilesNameTheFolderAndWhatEachLayoutNeeds()
    {
        using var dir = new TempFolder();
        var e = Assert.Throws<FileNotFoundException>(() => MovieLensLoader.Load(dir.Path));
        Assert.Contains(dir.Path, e.Message);
        Assert.Contains("u.data and u.item", e.Message);
        Assert.Contains("ratings.csv and movies.csv", e.Message);
        Assert.Contains("ratings.dat and movies.dat", e.Message);

        dir.Write("u.data", "1\t1\t5\t881250949\n");
        var missingItem = Assert.Throws<FileNotFoundException>(() => MovieLensLoader.Load(dir.Path));
        Assert.Contains("u.item is missing", missingItem.Message);
    }

    private static TempFolder SmallLatest()
    {
        var dir = new TempFolder();
        dir.Write("movies.csv", string.Join('\n',
            "movieId,title,genres",
            "1,Toy Story (1995),Adventure|Animation|Children",
            "11,\"American President, The (1995)\",Comedy|Drama|Romance",
            "12,\"Dracula: Dead and Loving It (1995)\",Comedy|Horror",
            "13,\"The \"\"Quoted\"\" Movie\",(no genres listed)") + "\n");
        dir.Write("ratings.csv", string.Join('\n',
            "userId,movieId,rating,timestamp",
            "1,1,4.0,964982703",
            "1,11,4.5,964981247",
            "2,11,3.0,964982224",
            "2,11,5.0,964982225",
            "10,13,0.5,964982931") + "\n");
        return dir;
    }

    [Fact]
    public void MlLatestReadsQuotedTitlesGenresAndYears()
    {
        using var dir = SmallLatest();
        var ds = MovieLensLoader.Load(dir.Path);
        Assert.Equal(DatasetLayout.MovieLensLatest, ds.Layout);
        Assert.Equal(5, ds.Ratings);
        Assert.Equal(4, ds.PairCount);
        Assert.Equal(["1", "10", "2"], ds.Users.Select(u => u.Id));
        Assert.Equal(["1", "11", "13"], ds.Items.Select(i => i.Id)); // unrated movie 12 is not in the catalog
        var president = ds.Items[1];
        Assert.Equal("American President, The (1995)", president.Title);
        Assert.Equal(["Comedy", "Drama", "Romance"], president.Genres);
        Assert.Equal(1995, president.Year);
        var quoted = ds.Items[2];
        Assert.Equal("The \"Quoted\" Movie", quoted.Title);
        Assert.Empty(quoted.Genres);
        Assert.Null(quoted.Year);
        Assert.False(ds.HasUserFeatures);
    }

    [Fact]
    public void MlLatestMalformedRowsNameFileAndLine()
    {
        using var dir = SmallLatest();
        dir.Write("ratings.csv", "userId,movieId,rating,timestamp\n1,1,4.0,964982703\n1,11,4.5\n");
        var e = Assert.Throws<InvalidDataException>(() => MovieLensLoader.Load(dir.Path));
        Assert.Contains("ratings.csv:3:", e.Message);
        Assert.Contains("found 3", e.Message);

        dir.Write("ratings.csv", "userId,movieId,rating,timestamp\n1,1,4.0,964982703\n");
        dir.Write("movies.csv", "movieId,title,genres\n1,\"Unclosed, (1995),Drama\n");
        var quote = Assert.Throws<InvalidDataException>(() => MovieLensLoader.Load(dir.Path));
        Assert.Contains("movies.csv:2:", quote.Message);
        Assert.Contains("not closed", quote.Message);
    }

    private static TempFolder Small1M(Encoding moviesEncoding)
    {
        var dir = new TempFolder();
        dir.Write("movies.dat", string.Join('\n',
            "1::Toy Story (1995)::Animation|Children's|Comedy",
            "2::Léon: The Professional (1994)::Crime|Drama",
            "3::Unrated (1990)::(no genres listed)") + "\n", moviesEncoding);
        dir.Write("users.dat", "1::F::1::10::48067\n2::M::56::16::70072\n");
        dir.Write("ratings.dat", string.Join('\n',
            "1::1::5::978300760",
            "1::2::3::978302109",
            "2::2::4::978301968",
            "2::2::5::978301969",   // repeated rating: collapses
            "10::1::1::978300000")); // a user users.dat lacks: no demographics
        return dir;
    }

    [Fact]
    public void Ml1MReadsDoubleColonFilesWithDemographicsAndLatin1Titles()
    {
        using var dir = Small1M(Encoding.Latin1);
        var ds = MovieLensLoader.Load(dir.Path);
        Assert.Equal(DatasetLayout.MovieLens1M, ds.Layout);
        Assert.Equal(5, ds.Ratings);
        Assert.Equal(4, ds.PairCount);
        Assert.Equal(["1", "10", "2"], ds.Users.Select(u => u.Id));
        Assert.Equal(["1", "2"], ds.Items.Select(i => i.Id)); // unrated movie 3 is not in the catalogue
        var leon = ds.Items[1];
        Assert.Equal("Léon: The Professional (1994)", leon.Title);
        Assert.Equal(["Crime", "Drama"], leon.Genres);
        Assert.Equal(1994, leon.Year);
        Assert.Equal(new DatasetUser("2", 56, "M", "16", "70072"), ds.Users[2]);
        Assert.Equal(new DatasetUser("10"), ds.Users[1]);
        Assert.True(ds.HasUserFeatures);
        // ml-1m's age codes are its groups' lower bounds: code 1 is "under 18".
        Assert.Equal(["age:<18", "gender:F", "occupation:10", "zip:4"], FeatureEncoder.UserFeatures(ds.Users[0]));
    }

    [Fact]
    public void Ml10MStyleUtf8MoviesDatDecodesAsUtf8()
    {
        using var dir = Small1M(new UTF8Encoding(false));
        Assert.Equal("Léon: The Professional (1994)", MovieLensLoader.Load(dir.Path).Items[1].Title);
    }

    [Fact]
    public void Ml1MBadRowsNameFileAndLine()
    {
        using var dir = Small1M(Encoding.Latin1);
        dir.Write("ratings.dat", "1::1::5::978300760\n1::2::3\n");
        var malformed = Assert.Throws<InvalidDataException>(() => MovieLensLoader.Load(dir.Path));
        Assert.Contains("ratings.dat:2: expected 4 '::'-separated fields, found 3", malformed.Message);

        dir.Write("ratings.dat", "1::1::5::978300760\n1::99::3::978300761\n");
        var unknown = Assert.Throws<InvalidDataException>(() => MovieLensLoader.Load(dir.Path));
        Assert.Contains("ratings.dat:2: MovieID 99 is not in movies.dat", unknown.Message);

        dir.Write("ratings.dat", "1::1::5::978300760\n");
        dir.Write("users.dat", "1::F::1::10::48067\n1::M::18::4::11111\n");
        var twice = Assert.Throws<InvalidDataException>(() => MovieLensLoader.Load(dir.Path));
        Assert.Contains("users.dat:2: UserID 1 appears twice", twice.Message);

        File.Delete(Path.Combine(dir.Path, "movies.dat"));
        var missing = Assert.Throws<FileNotFoundException>(() => MovieLensLoader.Load(dir.Path));
        Assert.Contains("movies.dat is missing", missing.Message);
    }

    [Fact]
    public void CsvLineSplitsQuotedFields()
    {
        Assert.Equal(["1", "a, b", "x\"y", ""], CsvLine.Split("1,\"a, b\",\"x\"\"y\",", "f.csv", 1));
    }

    [Fact]
    public void RealMl100kGivesTheProtocolCounts()
    {
        var ds = MovieLensLoader.Load(TestData.RealMl100K());
        Assert.Equal(100_000, ds.Ratings);
        Assert.Equal(99_693, ds.PairCount);
        Assert.Equal(943, ds.Users.Count);
        Assert.Equal(1_664, ds.Items.Count);
        Assert.Equal(19, ds.Items.SelectMany(i => i.Genres).Distinct().Count());
        Assert.All(ds.Users, u => Assert.NotNull(u.Occupation));
    }
}

public class ExtraRatingsTests
{
    [Fact]
    public void ExportedRatingsMergeIntoTheInteractionsUnderTheDatasetsMovieKeys()
    {
        using var dir = new TempFolder();
        TestData.WriteSynthetic100K(dir.Path);
        var before = MovieLensLoader.Load(dir.Path);
        // User 1 rates movie 2 (new pair, unless already there) and a brand-new user 999 rates movie 3.
        var extra = dir.Write("extra.csv", "userId,movieId,rating,timestamp\n999,3,4.5,1700000000\n999,3,5,1700000001\n");

        var after = MovieLensLoader.Load(dir.Path, extra);

        Assert.Equal(before.PairCount + 1, after.PairCount);
        Assert.Equal(before.Users.Count + 1, after.Users.Count);
        var user = after.Users.Select((u, i) => (u, i)).Single(p => p.u.Id == "999").i;
        var k = Array.IndexOf(after.PairUsers, user);
        Assert.Equal("3", after.Items[after.PairItems[k]].Id);
    }

    [Fact]
    public void AnExportedRatingOfAnUnknownMovieNamesTheFileAndLine()
    {
        using var dir = new TempFolder();
        TestData.WriteSynthetic100K(dir.Path);
        var extra = dir.Write("extra.csv", "userId,movieId,rating,timestamp\n1,2,4,1700000000\n1,99999,4,1700000000\n");
        var e = Assert.Throws<InvalidDataException>(() => MovieLensLoader.Load(dir.Path, extra));
        Assert.Contains("extra.csv:3:", e.Message);
    }
}
