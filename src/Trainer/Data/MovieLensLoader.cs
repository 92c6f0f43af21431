using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace MovieRecommender.Trainer.Data;

/// <summary>
/// Reads a MovieLens folder into an <see cref="InteractionDataset"/>, detecting the layout from its files.
/// Malformed rows throw <see cref="InvalidDataException"/> naming the file, the 1-based line and the problem.
/// </summary>
public static partial class MovieLensLoader
{
    /// <summary>The 19 ML-100K genres in flag order, used when <c>u.genre</c> is absent.</summary>
    public static readonly IReadOnlyList<string> StandardGenres =
    [
        "unknown", "Action", "Adventure", "Animation", "Children's", "Comedy", "Crime", "Documentary", "Drama", "Fantasy",
        "Film-Noir", "Horror", "Musical", "Mystery", "Romance", "Sci-Fi", "Thriller", "War", "Western",
    ];

    private static readonly Encoding Latin1 = Encoding.Latin1;

    public static DatasetLayout DetectLayout(string dir)
    {
        if (!Directory.Exists(dir))
            throw new DirectoryNotFoundException($"{dir}: no such folder. Pass a MovieLens folder, e.g. --data ../shared/data/ml-100k.");
        if (File.Exists(Path.Combine(dir, "u.data"))) return DatasetLayout.MovieLens100K;
        if (File.Exists(Path.Combine(dir, "ratings.csv"))) return DatasetLayout.MovieLensLatest;
        throw new FileNotFoundException(
            $"{dir}: not a MovieLens folder. MovieLens 100K needs u.data and u.item (u.user and u.genre optional); " +
            "ml-latest / ml-25m / ml-32m need ratings.csv and movies.csv.");
    }

    /// <param name="extraRatings">Optional ratings recorded since (the client's <c>export-ratings</c> file: ratings.csv rows), merged in.</param>
    public static InteractionDataset Load(string dir, string? extraRatings = null)
    {
        var layout = DetectLayout(dir);
        if (extraRatings is not null && !File.Exists(extraRatings))
            throw new FileNotFoundException($"{extraRatings}: no such ratings file.");
        return layout switch
        {
            DatasetLayout.MovieLens100K => Load100K(dir, extraRatings),
            _ => LoadLatest(dir, extraRatings),
        };
    }

    private static string DatasetName(string dir) =>
        Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(dir)));

    private static string Require(string dir, string file, string layoutDescription)
    {
        var path = Path.Combine(dir, file);
        if (!File.Exists(path))
            throw new FileNotFoundException($"{dir}: {file} is missing; {layoutDescription}");
        return path;
    }

    // ---------------------------------------------------------------- ML-100K

    private const string Needs100K = "the MovieLens 100K layout needs u.data and u.item (u.user and u.genre optional).";

    private static InteractionDataset Load100K(string dir, string? extraRatings)
    {
        var dataPath = Require(dir, "u.data", Needs100K);
        var itemPath = Require(dir, "u.item", Needs100K);
        var genrePath = Path.Combine(dir, "u.genre");
        var userPath = Path.Combine(dir, "u.user");
        var genres = File.Exists(genrePath) ? ReadGenres(genrePath) : StandardGenres;

        // Movies keyed by title: several ids with one title become one movie, with the smallest id.
        var titleOfId = new Dictionary<int, string>();
        var movieOfTitle = new Dictionary<string, DatasetItem>(StringComparer.Ordinal);
        var lineNumber = 0;
        foreach (var line in File.ReadLines(itemPath, Latin1))
        {
            lineNumber++;
            if (line.Length == 0) continue;
            var f = line.Split('|');
            if (f.Length != 5 + genres.Count)
                throw new InvalidDataException($"{itemPath}:{lineNumber}: expected {5 + genres.Count} '|'-separated fields (id, title, release date, video date, URL, {genres.Count} genre flags), found {f.Length}.");
            var id = ParseInt(f[0], itemPath, lineNumber, "movie id");
            if (titleOfId.ContainsKey(id)) throw new InvalidDataException($"{itemPath}:{lineNumber}: movie id {id} appears twice.");
            var title = f[1];
            var movieGenres = new List<string>();
            for (var g = 0; g < genres.Count; g++)
            {
                var flag = f[5 + g];
                if (flag == "1") movieGenres.Add(genres[g]);
                else if (flag != "0") throw new InvalidDataException($"{itemPath}:{lineNumber}: genre flag {g + 1} is '{flag}', expected 0 or 1.");
            }
            var year = ParseReleaseYear(f[2]) ?? TitleYear(title);
            titleOfId[id] = title;
            var movie = new DatasetItem(id.ToString(CultureInfo.InvariantCulture), title, movieGenres, year);
            if (!movieOfTitle.TryGetValue(title, out var existing) || id < int.Parse(existing.Id, CultureInfo.InvariantCulture))
                movieOfTitle[title] = movie;
        }

        var users = File.Exists(userPath) ? ReadUsers(userPath) : new Dictionary<string, DatasetUser>();

        var pairs = new List<(string User, string Title)>();
        var ratings = 0;
        lineNumber = 0;
        foreach (var line in File.ReadLines(dataPath))
        {
            lineNumber++;
            if (line.Length == 0) continue;
            var f = line.Split('\t');
            if (f.Length != 4)
                throw new InvalidDataException($"{dataPath}:{lineNumber}: expected 4 tab-separated fields, found {f.Length} (a row is: user, movie, rating, timestamp).");
            var user = ParseInt(f[0], dataPath, lineNumber, "user id");
            var movie = ParseInt(f[1], dataPath, lineNumber, "movie id");
            ParseDouble(f[2], dataPath, lineNumber, "rating");
            ParseLong(f[3], dataPath, lineNumber, "timestamp");
            if (!titleOfId.TryGetValue(movie, out var title))
                throw new InvalidDataException($"{dataPath}:{lineNumber}: movie id {movie} is not in {Path.GetFileName(itemPath)}.");
            pairs.Add((user.ToString(CultureInfo.InvariantCulture), title));
            ratings++;
        }
        if (extraRatings is not null)
            ratings += ReadRatingsCsv(extraRatings, movie => int.TryParse(movie, out var id) && titleOfId.TryGetValue(id, out var title) ? title : null, pairs);
        return Build(DatasetName(dir), DatasetLayout.MovieLens100K, pairs, ratings,
            userId => users.TryGetValue(userId, out var u) ? u : new DatasetUser(userId),
            title => movieOfTitle[title]);
    }

    /// <summary>
    /// Reads ratings.csv rows (header userId,movieId,rating,timestamp) into (user, movie key) pairs;
    /// <paramref name="keyOfMovie"/> maps a movieId to the dataset's movie key, or null when the catalogue lacks it.
    /// </summary>
    private static int ReadRatingsCsv(string path, Func<string, string?> keyOfMovie, List<(string User, string Movie)> pairs)
    {
        var ratings = 0;
        var lineNumber = 0;
        using var reader = new StreamReader(path, Encoding.UTF8);
        while (reader.ReadLine() is { } line)
        {
            lineNumber++;
            if (lineNumber == 1)
            {
                if (!line.TrimStart('\uFEFF').StartsWith("userId,movieId,rating", StringComparison.Ordinal))
                    throw new InvalidDataException($"{path}:1: expected the header 'userId,movieId,rating,timestamp', found '{line}'.");
                continue;
            }
            if (line.Length == 0) continue;
            var f = line.Split(',');
            if (f.Length != 4)
                throw new InvalidDataException($"{path}:{lineNumber}: expected 4 comma-separated fields, found {f.Length} (a row is: userId, movieId, rating, timestamp).");
            var user = ParseInt(f[0], path, lineNumber, "userId").ToString(CultureInfo.InvariantCulture);
            var movie = ParseInt(f[1], path, lineNumber, "movieId").ToString(CultureInfo.InvariantCulture);
            ParseDouble(f[2], path, lineNumber, "rating");
            ParseLong(f[3], path, lineNumber, "timestamp");
            var key = keyOfMovie(movie) ?? throw new InvalidDataException($"{path}:{lineNumber}: movieId {movie} is not in the catalogue.");
            pairs.Add((user, key));
            ratings++;
        }
        return ratings;
    }

    private static List<string> ReadGenres(string path)
    {
        var byIndex = new SortedDictionary<int, string>();
        var lineNumber = 0;
        foreach (var line in File.ReadLines(path, Latin1))
        {
            lineNumber++;
            if (line.Trim().Length == 0) continue;
            var f = line.Split('|');
            if (f.Length != 2) throw new InvalidDataException($"{path}:{lineNumber}: expected 2 '|'-separated fields (name, index), found {f.Length}.");
            var index = ParseInt(f[1], path, lineNumber, "genre index");
            if (!byIndex.TryAdd(index, f[0])) throw new InvalidDataException($"{path}:{lineNumber}: genre index {index} appears twice.");
        }
        var list = byIndex.Values.ToList();
        if (byIndex.Keys.Select((k, n) => k != n).Any(b => b))
            throw new InvalidDataException($"{path}: genre indexes must be 0..{list.Count - 1} without gaps.");
        return list;
    }

    private static Dictionary<string, DatasetUser> ReadUsers(string path)
    {
        var users = new Dictionary<string, DatasetUser>(StringComparer.Ordinal);
        var lineNumber = 0;
        foreach (var line in File.ReadLines(path, Latin1))
        {
            lineNumber++;
            if (line.Length == 0) continue;
            var f = line.Split('|');
            if (f.Length != 5) throw new InvalidDataException($"{path}:{lineNumber}: expected 5 '|'-separated fields (id, age, gender, occupation, zip), found {f.Length}.");
            var id = ParseInt(f[0], path, lineNumber, "user id").ToString(CultureInfo.InvariantCulture);
            var age = ParseInt(f[1], path, lineNumber, "age");
            if (!users.TryAdd(id, new DatasetUser(id, age, NullIfEmpty(f[2]), NullIfEmpty(f[3]), NullIfEmpty(f[4]))))
                throw new InvalidDataException($"{path}:{lineNumber}: user id {id} appears twice.");
        }
        return users;
    }

    private static int? ParseReleaseYear(string date)
    {
        // "01-Jan-1995"
        if (date.Length >= 4 && int.TryParse(date.AsSpan(date.Length - 4), NumberStyles.None, CultureInfo.InvariantCulture, out var y)) return y;
        return null;
    }

    // ---------------------------------------------------------------- ml-latest / ml-25m / ml-32m

    private const string NeedsLatest = "the ml-latest / ml-25m / ml-32m layout needs ratings.csv and movies.csv.";

    private static InteractionDataset LoadLatest(string dir, string? extraRatings)
    {
        var ratingsPath = Require(dir, "ratings.csv", NeedsLatest);
        var moviesPath = Require(dir, "movies.csv", NeedsLatest);

        var movies = new Dictionary<string, DatasetItem>(StringComparer.Ordinal);
        var lineNumber = 0;
        foreach (var line in File.ReadLines(moviesPath, Encoding.UTF8))
        {
            lineNumber++;
            if (lineNumber == 1)
            {
                if (!line.TrimStart('\uFEFF').StartsWith("movieId,", StringComparison.Ordinal))
                    throw new InvalidDataException($"{moviesPath}:1: expected the header 'movieId,title,genres', found '{line}'.");
                continue;
            }
            if (line.Length == 0) continue;
            var f = CsvLine.Split(line, moviesPath, lineNumber);
            if (f.Count != 3) throw new InvalidDataException($"{moviesPath}:{lineNumber}: expected 3 comma-separated fields (movieId, title, genres), found {f.Count}.");
            var id = ParseInt(f[0], moviesPath, lineNumber, "movieId").ToString(CultureInfo.InvariantCulture);
            var title = f[1].Trim();
            IReadOnlyList<string> genres = f[2] is "" or "(no genres listed)" ? [] : f[2].Split('|');
            if (!movies.TryAdd(id, new DatasetItem(id, title, genres, TitleYear(title))))
                throw new InvalidDataException($"{moviesPath}:{lineNumber}: movieId {id} appears twice.");
        }

        var pairs = new List<(string User, string Movie)>();
        var ratings = ReadRatingsCsv(ratingsPath, movie => movies.ContainsKey(movie) ? movie : null, pairs);
        if (extraRatings is not null) ratings += ReadRatingsCsv(extraRatings, movie => movies.ContainsKey(movie) ? movie : null, pairs);
        return Build(DatasetName(dir), DatasetLayout.MovieLensLatest, pairs, ratings, id => new DatasetUser(id), id => movies[id]);
    }

    // ---------------------------------------------------------------- shared

    /// <summary>Unique pairs in order of first appearance; users and items indexed in ordinal order of their keys,
    /// as the PyTorch reference's <c>sorted()</c> does (user ids as strings; titles for ML-100K, movieIds for ml-latest).</summary>
    private static InteractionDataset Build(string name, DatasetLayout layout, List<(string User, string Item)> pairs, int ratings,
        Func<string, DatasetUser> user, Func<string, DatasetItem> item)
    {
        var userKeys = new SortedSet<string>(StringComparer.Ordinal);
        var itemKeys = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var (u, i) in pairs) { userKeys.Add(u); itemKeys.Add(i); }
        var userIndex = new Dictionary<string, int>(userKeys.Count, StringComparer.Ordinal);
        foreach (var u in userKeys) userIndex[u] = userIndex.Count;
        var itemIndex = new Dictionary<string, int>(itemKeys.Count, StringComparer.Ordinal);
        foreach (var i in itemKeys) itemIndex[i] = itemIndex.Count;

        var seen = new HashSet<long>();
        var pairUsers = new List<int>();
        var pairItems = new List<int>();
        foreach (var (u, i) in pairs)
        {
            var ui = userIndex[u];
            var ii = itemIndex[i];
            if (!seen.Add((long)ui * itemKeys.Count + ii)) continue;
            pairUsers.Add(ui);
            pairItems.Add(ii);
        }
        return new InteractionDataset(name, layout, userKeys.Select(user).ToList(), itemKeys.Select(item).ToList(),
            pairUsers.ToArray(), pairItems.ToArray(), ratings);
    }

    /// <summary>The year of a title ending in "(1995)", else null.</summary>
    public static int? TitleYear(string title)
    {
        var m = TrailingYear().Match(title);
        return m.Success ? int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) : null;
    }

    [GeneratedRegex(@"\((\d{4})\)\s*$")]
    private static partial Regex TrailingYear();

    private static string? NullIfEmpty(string s) => s.Length == 0 ? null : s;

    private static int ParseInt(string s, string path, int line, string what) =>
        int.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v)
            ? v : throw new InvalidDataException($"{path}:{line}: {what} '{s}' is not an integer.");

    private static long ParseLong(string s, string path, int line, string what) =>
        long.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v)
            ? v : throw new InvalidDataException($"{path}:{line}: {what} '{s}' is not an integer.");

    private static double ParseDouble(string s, string path, int line, string what) =>
        double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var v)
            ? v : throw new InvalidDataException($"{path}:{line}: {what} '{s}' is not a number.");
}
