using MovieRecommender.Artifacts;
using System.Text;

namespace MovieRecommender.Trainer.Data;

/// <summary>
/// Reads the ml-latest / ml-25m / ml-32m layout: ratings.csv and movies.csv, UTF-8 with header lines, titles quoted
/// when they hold commas. Its ratings rows are also the format of the client's <c>export-ratings</c> file, which every
/// layout merges through <see cref="ReadRatings"/>.
/// </summary>
public static class MlLatestReader
{
    private const string Needs = "the ml-latest / ml-25m / ml-32m layout needs ratings.csv and movies.csv.";

    private static readonly (string Expected, string Start) RatingsHeader = ("userId,movieId,rating,timestamp", "userId,movieId,rating");
    private static readonly (string Expected, string Start) MoviesHeader = ("movieId,title,genres", "movieId,");

    private static readonly RatingRowFormat Ratings = new(FieldSeparator.Comma, "userId", "movieId", "rating", "timestamp", "userId, movieId, rating, timestamp");

    private static readonly MovieRowFormat Movies = new(FieldSeparator.Comma, "movieId, title, genres", "movieId", "; quote a title that holds commas");

    public static InteractionDataset Load(string dir, string? extraRatings, BadRowPolicy bad, ExtraMovies? extraMovies = null)
    {
        var ratingsPath = LayoutReader.Require(dir, "ratings.csv", Needs);
        var moviesPath = LayoutReader.Require(dir, "movies.csv", Needs);

        var movies = new Dictionary<string, DatasetItem>(StringComparer.Ordinal);
        LayoutReader.ReadRows(moviesPath, Encoding.UTF8, bad, (line, lineNumber) =>
        {
            List<string> f;
            try { f = CsvLine.Split(line, moviesPath, lineNumber); }
            catch (InvalidDataException e) { throw BadRowException.Malformed(e.Message.TrimEnd('.')); }
            Movies.Add(movies, f, moviesPath, lineNumber);
        }, MoviesHeader);

        var listed = extraMovies?.Apply(movies) ?? [];
        var pairs = new List<(string User, string Movie)>();
        var catalogue = Path.GetFileName(moviesPath);
        Func<string, string?> keyOf = movie => movies.ContainsKey(movie) ? movie : null;
        var ratings = ReadRatings(ratingsPath, keyOf, catalogue, pairs, bad);
        if (extraRatings is not null) ratings += ReadRatings(extraRatings, keyOf, catalogue, pairs, bad);
        return LayoutReader.Build(LayoutReader.DatasetName(dir), DatasetLayout.MovieLensLatest, pairs, ratings, id => new DatasetUser(id), id => movies[id], listed);
    }

    /// <summary>
    /// Reads ratings.csv rows (header userId,movieId,rating,timestamp) into (user, movie key) pairs; the number read.
    /// <paramref name="keyOfMovie"/> maps a movieId to the dataset's movie key, or null when <paramref name="catalogue"/> lacks it.
    /// </summary>
    public static int ReadRatings(string path, Func<string, string?> keyOfMovie, string catalogue, List<(string User, string Movie)> pairs, BadRowPolicy bad) =>
        Ratings.Read(path, Encoding.UTF8, bad, keyOfMovie, $"the catalogue ({catalogue})", pairs, RatingsHeader);
}
