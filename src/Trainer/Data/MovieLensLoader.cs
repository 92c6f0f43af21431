using System.Globalization;
using System.Text.RegularExpressions;

namespace MovieRecommender.Trainer.Data;

/// <summary>
/// Reads a MovieLens folder into an <see cref="InteractionDataset"/>, detecting the layout from its files and handing
/// it to that layout's reader (<see cref="Ml100kReader"/>, <see cref="MlLatestReader"/>, <see cref="Ml1mReader"/>).
/// A bad row (malformed, naming a movie the catalogue lacks, a rating outside 0.5..5, a movie or user id listed twice)
/// throws <see cref="InvalidDataException"/> naming the file, the 1-based line and the fault; with
/// <c>skipBadRows</c> it is skipped and counted by kind instead, and the counts are reported (<see cref="BadRowPolicy"/>).
/// A byte order mark, CRLF line ends and quoted CSV fields holding commas are not faults. Repeated ratings of one
/// (user, movie) pair are merged into one interaction (every rating is a positive; the pair counts once, whatever its ratings).
/// </summary>
public static partial class MovieLensLoader
{
    /// <summary>The 19 ML-100K genres in flag order, used when <c>u.genre</c> is absent.</summary>
    public static readonly IReadOnlyList<string> StandardGenres =
    [
        "unknown", "Action", "Adventure", "Animation", "Children's", "Comedy", "Crime", "Documentary", "Drama", "Fantasy",
        "Film-Noir", "Horror", "Musical", "Mystery", "Romance", "Sci-Fi", "Thriller", "War", "Western",
    ];

    public static DatasetLayout DetectLayout(string dir)
    {
        if (!Directory.Exists(dir))
            throw new DirectoryNotFoundException($"{dir}: no such folder. Pass a MovieLens folder, e.g. --data ../shared/data/ml-100k.");
        if (File.Exists(Path.Combine(dir, "u.data"))) return DatasetLayout.MovieLens100K;
        if (File.Exists(Path.Combine(dir, "ratings.csv"))) return DatasetLayout.MovieLensLatest;
        if (File.Exists(Path.Combine(dir, "ratings.dat"))) return DatasetLayout.MovieLens1M;
        throw new FileNotFoundException(
            $"{dir}: not a MovieLens folder. MovieLens 100K needs u.data and u.item (u.user and u.genre optional); " +
            "ml-latest / ml-25m / ml-32m need ratings.csv and movies.csv; ml-1m / ml-10m need ratings.dat and movies.dat (users.dat optional).");
    }

    /// <param name="extraRatings">Optional ratings recorded since (the client's <c>export-ratings</c> file: ratings.csv rows), merged in.</param>
    /// <param name="skipBadRows">Skip bad rows (counted by kind, see <see cref="BadRowKind"/>) instead of stopping at the first.</param>
    /// <param name="report">Told, one line each, how many rows of each kind were skipped and how many repeated ratings were merged.</param>
    /// <param name="extraMovies">Optional movies to add or replace (<see cref="ExtraMoviesReader"/>: the console's <c>export-catalogue</c> file),
    /// read before the ratings so that the extra ratings may rate a new movie.</param>
    public static InteractionDataset Load(string dir, string? extraRatings = null, bool skipBadRows = false, Action<string>? report = null,
        string? extraMovies = null)
    {
        var layout = DetectLayout(dir);
        if (extraRatings is not null && !File.Exists(extraRatings))
            throw new FileNotFoundException($"{extraRatings}: no such ratings file.");
        if (extraMovies is not null && !File.Exists(extraMovies))
            throw new FileNotFoundException($"{extraMovies}: no such movies file.");
        var rows = new BadRowPolicy(skipBadRows);
        var movies = extraMovies is null ? null : new ExtraMovies(extraMovies, ExtraMoviesReader.Read(extraMovies, rows));
        var dataset = layout switch
        {
            DatasetLayout.MovieLens100K => Ml100kReader.Load(dir, extraRatings, rows, movies),
            DatasetLayout.MovieLens1M => Ml1mReader.Load(dir, extraRatings, rows, movies),
            _ => MlLatestReader.Load(dir, extraRatings, rows, movies),
        };
        dataset.SkippedRows = rows.Counts;
        if (report is not null)
        {
            foreach (var line in rows.Describe()) report(line);
            if (movies is not null)
                report($"Merged {movies.Movies.Count:N0} {(movies.Movies.Count == 1 ? "movie" : "movies")} from {movies.Path}: {movies.Replaced:N0} replaced, {movies.Added:N0} added.");
            var repeated = dataset.Ratings - dataset.PairCount;
            if (repeated > 0)
                report($"{repeated:N0} {(repeated == 1 ? "rating repeats" : "ratings repeat")} a (user, movie) pair already rated: merged, each pair is one interaction whatever its ratings.");
        }
        return dataset;
    }

    /// <summary>The lowest and highest rating MovieLens (and the console's <c>rate</c>) gives.</summary>
    public const double MinRating = 0.5;
    public const double MaxRating = 5;

    /// <summary>The year of a title ending in "(1995)", else null.</summary>
    public static int? TitleYear(string title)
    {
        var m = TrailingYear().Match(title);
        return m.Success ? int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) : null;
    }

    [GeneratedRegex(@"\((\d{4})\)\s*$")]
    private static partial Regex TrailingYear();
}
