using System.Text;

namespace MovieRecommender.Trainer.Data;

/// <summary>
/// Reads the ml-1m / ml-10m layout: ratings.dat and movies.dat with '::'-separated fields and no header, optional
/// users.dat (ml-1m's demographics, which become the same user features as ML-100K's).
/// </summary>
public static class Ml1mReader
{
    private const string Needs = "the ml-1m / ml-10m layout needs ratings.dat and movies.dat (users.dat optional).";

    private static readonly RatingRowFormat Ratings =
        new(FieldSeparator.DoubleColon, "UserID", "MovieID", "Rating", "Timestamp", "UserID, MovieID, Rating, Timestamp");

    private static readonly MovieRowFormat Movies = new(FieldSeparator.DoubleColon, "MovieID, Title, Genres", "MovieID");

    /// <summary>users.dat rows: UserID::Gender::Age::Occupation::Zip-code (the age is its group's lower bound, the occupation a code).</summary>
    private static readonly UserRowFormat Users =
        new(FieldSeparator.DoubleColon, "UserID, Gender, Age, Occupation, Zip-code", "UserID", "Age", AgeColumn: 2, GenderColumn: 1);

    private static readonly Encoding StrictUtf8 = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static InteractionDataset Load(string dir, string? extraRatings, BadRowPolicy bad, ExtraMovies? extraMovies = null)
    {
        var ratingsPath = LayoutReader.Require(dir, "ratings.dat", Needs);
        var moviesPath = LayoutReader.Require(dir, "movies.dat", Needs);
        var usersPath = Path.Combine(dir, "users.dat");

        var movies = new Dictionary<string, DatasetItem>(StringComparer.Ordinal);
        LayoutReader.ReadRows(moviesPath, TextEncoding(moviesPath), bad,
            (line, lineNumber) => Movies.Add(movies, line.Split(FieldSeparator.DoubleColon.Text), moviesPath, lineNumber));

        var users = File.Exists(usersPath) ? Users.Read(usersPath, TextEncoding(usersPath), bad) : new Dictionary<string, DatasetUser>();

        var listed = extraMovies?.Apply(movies) ?? [];
        var pairs = new List<(string User, string Movie)>();
        var catalogue = Path.GetFileName(moviesPath);
        Func<string, string?> keyOf = movie => movies.ContainsKey(movie) ? movie : null;
        var ratings = Ratings.Read(ratingsPath, Encoding.UTF8, bad, keyOf, catalogue, pairs);
        if (extraRatings is not null) ratings += MlLatestReader.ReadRatings(extraRatings, keyOf, catalogue, pairs, bad);
        return LayoutReader.Build(LayoutReader.DatasetName(dir), DatasetLayout.MovieLens1M, pairs, ratings,
            id => users.TryGetValue(id, out var u) ? u : new DatasetUser(id), id => movies[id], listed);
    }

    /// <summary>ml-1m's text files are Latin-1, later releases' UTF-8: UTF-8 when every byte of the file decodes as such, else Latin-1.</summary>
    private static Encoding TextEncoding(string path)
    {
        try
        {
            _ = StrictUtf8.GetCharCount(File.ReadAllBytes(path));
            return Encoding.UTF8;
        }
        catch (DecoderFallbackException)
        {
            return Encoding.Latin1;
        }
    }
}
