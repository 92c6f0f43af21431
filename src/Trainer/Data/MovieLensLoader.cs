using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace MovieRecommender.Trainer.Data;

/// <summary>
/// Reads a MovieLens folder into an <see cref="InteractionDataset"/>, detecting the layout from its files.
/// A bad row (malformed, naming a movie the catalogue lacks, a rating outside 0.5..5, a movie or user id listed twice)
/// throws <see cref="InvalidDataException"/> naming the file, the 1-based line and the fault; with
/// <c>skipBadRows</c> it is skipped and counted by kind instead, and the counts are reported. A byte order mark,
/// CRLF line ends and quoted CSV fields holding commas are not faults. Repeated ratings of one (user, movie) pair are
/// merged into one interaction (every rating is a positive; the pair counts once, whatever its ratings).
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
        if (File.Exists(Path.Combine(dir, "ratings.dat"))) return DatasetLayout.MovieLens1M;
        throw new FileNotFoundException(
            $"{dir}: not a MovieLens folder. MovieLens 100K needs u.data and u.item (u.user and u.genre optional); " +
            "ml-latest / ml-25m / ml-32m need ratings.csv and movies.csv; ml-1m / ml-10m need ratings.dat and movies.dat (users.dat optional).");
    }

    /// <param name="extraRatings">Optional ratings recorded since (the client's <c>export-ratings</c> file: ratings.csv rows), merged in.</param>
    /// <param name="skipBadRows">Skip bad rows (counted by kind, see <see cref="BadRowKind"/>) instead of stopping at the first.</param>
    /// <param name="report">Told, one line each, how many rows of each kind were skipped and how many repeated ratings were merged.</param>
    public static InteractionDataset Load(string dir, string? extraRatings = null, bool skipBadRows = false, Action<string>? report = null)
    {
        var layout = DetectLayout(dir);
        if (extraRatings is not null && !File.Exists(extraRatings))
            throw new FileNotFoundException($"{extraRatings}: no such ratings file.");
        var rows = new BadRows(skipBadRows);
        var dataset = layout switch
        {
            DatasetLayout.MovieLens100K => Load100K(dir, extraRatings, rows),
            DatasetLayout.MovieLens1M => Load1M(dir, extraRatings, rows),
            _ => LoadLatest(dir, extraRatings, rows),
        };
        dataset.SkippedRows = rows.Counts;
        if (report is not null)
        {
            foreach (var line in rows.Describe()) report(line);
            var repeated = dataset.Ratings - dataset.PairCount;
            if (repeated > 0)
                report($"{repeated:N0} {(repeated == 1 ? "rating repeats" : "ratings repeat")} a (user, movie) pair already rated: merged, each pair is one interaction whatever its ratings.");
        }
        return dataset;
    }

    /// <summary>The lowest and highest rating MovieLens (and the console's <c>rate</c>) gives.</summary>
    public const double MinRating = 0.5;
    public const double MaxRating = 5;

    /// <summary>Counts skipped rows by kind, or, when not skipping, lets the first bad row's exception through.</summary>
    private sealed class BadRows(bool skip)
    {
        private readonly Dictionary<BadRowKind, (int Count, string First)> _skipped = [];

        public IReadOnlyDictionary<BadRowKind, int> Counts => _skipped.ToDictionary(p => p.Key, p => p.Value.Count);

        /// <summary>Runs one row's parsing; a bad row throws (not skipping) or is counted (skipping). False when skipped.</summary>
        public bool Row(Action parse)
        {
            try
            {
                parse();
                return true;
            }
            catch (BadRowException e) when (skip)
            {
                _skipped[e.Kind] = _skipped.TryGetValue(e.Kind, out var seen) ? (seen.Count + 1, seen.First) : (1, e.Fault);
                return false;
            }
            catch (BadRowException e)
            {
                throw new InvalidDataException($"{e.Fault} (--skip-bad-rows skips such rows).", e);
            }
        }

        public IEnumerable<string> Describe()
        {
            foreach (var kind in Enum.GetValues<BadRowKind>())
                if (_skipped.TryGetValue(kind, out var s))
                    yield return $"Skipped {s.Count:N0} {(s.Count == 1 ? "row" : "rows")} {Describe(kind, s.Count)} (the first: {s.First}).";
        }

        private static string Describe(BadRowKind kind, int count) => kind switch
        {
            BadRowKind.Malformed => count == 1 ? "that is malformed" : "that are malformed",
            BadRowKind.UnknownMovie => "naming a movie the catalogue lacks",
            BadRowKind.RatingOutOfRange => $"with a rating outside {MinRating} to {MaxRating}",
            _ => "repeating an id already listed",
        };
    }

    /// <summary>One bad row: its kind, and its fault as "path:line: what".</summary>
    private sealed class BadRowException(BadRowKind kind, string fault) : Exception(fault)
    {
        public BadRowKind Kind { get; } = kind;
        public string Fault { get; } = fault;
    }

    private static BadRowException Malformed(string fault) => new(BadRowKind.Malformed, fault);

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

    private static InteractionDataset Load100K(string dir, string? extraRatings, BadRows bad)
    {
        var dataPath = Require(dir, "u.data", Needs100K);
        var itemPath = Require(dir, "u.item", Needs100K);
        var genrePath = Path.Combine(dir, "u.genre");
        var userPath = Path.Combine(dir, "u.user");
        var genres = File.Exists(genrePath) ? ReadGenres(genrePath) : StandardGenres;
        var catalogue = Path.GetFileName(itemPath);

        // Movies keyed by title: several ids with one title become one movie, with the smallest id.
        var titleOfId = new Dictionary<int, string>();
        var movieOfTitle = new Dictionary<string, DatasetItem>(StringComparer.Ordinal);
        ReadRows(itemPath, Latin1, bad, (line, lineNumber) =>
        {
            var f = line.Split('|');
            if (f.Length != 5 + genres.Count)
                throw Malformed($"{itemPath}:{lineNumber}: expected {5 + genres.Count} '|'-separated fields (id, title, release date, video date, URL, {genres.Count} genre flags), found {f.Length}");
            var id = ParseInt(f[0], itemPath, lineNumber, "movie id");
            if (titleOfId.ContainsKey(id)) throw new BadRowException(BadRowKind.DuplicateId, $"{itemPath}:{lineNumber}: movie id {id} appears twice");
            var title = f[1];
            var movieGenres = new List<string>();
            for (var g = 0; g < genres.Count; g++)
            {
                var flag = f[5 + g];
                if (flag == "1") movieGenres.Add(genres[g]);
                else if (flag != "0") throw Malformed($"{itemPath}:{lineNumber}: genre flag {g + 1} is '{flag}', expected 0 or 1");
            }
            var year = ParseReleaseYear(f[2]) ?? TitleYear(title);
            titleOfId[id] = title;
            var movie = new DatasetItem(id.ToString(CultureInfo.InvariantCulture), title, movieGenres, year);
            if (!movieOfTitle.TryGetValue(title, out var existing) || id < int.Parse(existing.Id, CultureInfo.InvariantCulture))
                movieOfTitle[title] = movie;
        });

        var users = File.Exists(userPath) ? ReadUsers(userPath, bad) : new Dictionary<string, DatasetUser>();

        var pairs = new List<(string User, string Title)>();
        var ratings = 0;
        ReadRows(dataPath, Encoding.UTF8, bad, (line, lineNumber) =>
        {
            var f = line.Split('\t');
            if (f.Length != 4)
                throw Malformed($"{dataPath}:{lineNumber}: expected 4 tab-separated fields, found {f.Length} (a row is: user, movie, rating, timestamp)");
            var user = ParseInt(f[0], dataPath, lineNumber, "user id");
            var movie = ParseInt(f[1], dataPath, lineNumber, "movie id");
            ParseRating(f[2], dataPath, lineNumber, "rating");
            ParseLong(f[3], dataPath, lineNumber, "timestamp");
            if (!titleOfId.TryGetValue(movie, out var title))
                throw new BadRowException(BadRowKind.UnknownMovie, $"{dataPath}:{lineNumber}: movie id {movie} is not in {catalogue}");
            pairs.Add((user.ToString(CultureInfo.InvariantCulture), title));
            ratings++;
        });
        if (extraRatings is not null)
            ratings += ReadRatingsCsv(extraRatings, movie => int.TryParse(movie, out var id) && titleOfId.TryGetValue(id, out var title) ? title : null, catalogue, pairs, bad);
        return Build(DatasetName(dir), DatasetLayout.MovieLens100K, pairs, ratings,
            userId => users.TryGetValue(userId, out var u) ? u : new DatasetUser(userId),
            title => movieOfTitle[title]);
    }

    /// <summary>
    /// Reads ratings.csv rows (header userId,movieId,rating,timestamp) into (user, movie key) pairs;
    /// <paramref name="keyOfMovie"/> maps a movieId to the dataset's movie key, or null when the catalogue lacks it.
    /// </summary>
    private static int ReadRatingsCsv(string path, Func<string, string?> keyOfMovie, string catalogue, List<(string User, string Movie)> pairs, BadRows bad)
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
            bad.Row(() =>
            {
                var f = line.Split(',');
                if (f.Length != 4)
                    throw Malformed($"{path}:{lineNumber}: expected 4 comma-separated fields, found {f.Length} (a row is: userId, movieId, rating, timestamp)");
                var user = ParseInt(f[0], path, lineNumber, "userId").ToString(CultureInfo.InvariantCulture);
                var movie = ParseInt(f[1], path, lineNumber, "movieId").ToString(CultureInfo.InvariantCulture);
                ParseRating(f[2], path, lineNumber, "rating");
                ParseLong(f[3], path, lineNumber, "timestamp");
                var key = keyOfMovie(movie) ?? throw new BadRowException(BadRowKind.UnknownMovie, $"{path}:{lineNumber}: movieId {movie} is not in the catalogue ({catalogue})");
                pairs.Add((user, key));
                ratings++;
            });
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
            int index;
            try { index = ParseInt(f[1], path, lineNumber, "genre index"); }
            catch (BadRowException e) { throw new InvalidDataException(e.Fault + ".", e); }
            if (!byIndex.TryAdd(index, f[0])) throw new InvalidDataException($"{path}:{lineNumber}: genre index {index} appears twice.");
        }
        var list = byIndex.Values.ToList();
        if (byIndex.Keys.Select((k, n) => k != n).Any(b => b))
            throw new InvalidDataException($"{path}: genre indexes must be 0..{list.Count - 1} without gaps.");
        return list;
    }

    private static Dictionary<string, DatasetUser> ReadUsers(string path, BadRows bad)
    {
        var users = new Dictionary<string, DatasetUser>(StringComparer.Ordinal);
        ReadRows(path, Latin1, bad, (line, lineNumber) =>
        {
            var f = line.Split('|');
            if (f.Length != 5) throw Malformed($"{path}:{lineNumber}: expected 5 '|'-separated fields (id, age, gender, occupation, zip), found {f.Length}");
            var id = ParseInt(f[0], path, lineNumber, "user id").ToString(CultureInfo.InvariantCulture);
            var age = ParseInt(f[1], path, lineNumber, "age");
            if (!users.TryAdd(id, new DatasetUser(id, age, NullIfEmpty(f[2]), NullIfEmpty(f[3]), NullIfEmpty(f[4]))))
                throw new BadRowException(BadRowKind.DuplicateId, $"{path}:{lineNumber}: user id {id} appears twice");
        });
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

    private static InteractionDataset LoadLatest(string dir, string? extraRatings, BadRows bad)
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
            bad.Row(() =>
            {
                List<string> f;
                try { f = CsvLine.Split(line, moviesPath, lineNumber); }
                catch (InvalidDataException e) { throw Malformed(e.Message.TrimEnd('.')); }
                if (f.Count != 3) throw Malformed($"{moviesPath}:{lineNumber}: expected 3 comma-separated fields (movieId, title, genres), found {f.Count}; quote a title that holds commas");
                var id = ParseInt(f[0], moviesPath, lineNumber, "movieId").ToString(CultureInfo.InvariantCulture);
                var title = f[1].Trim();
                IReadOnlyList<string> genres = f[2] is "" or "(no genres listed)" ? [] : f[2].Split('|');
                if (!movies.TryAdd(id, new DatasetItem(id, title, genres, TitleYear(title))))
                    throw new BadRowException(BadRowKind.DuplicateId, $"{moviesPath}:{lineNumber}: movieId {id} appears twice");
            });
        }

        var pairs = new List<(string User, string Movie)>();
        var catalogue = Path.GetFileName(moviesPath);
        var ratings = ReadRatingsCsv(ratingsPath, movie => movies.ContainsKey(movie) ? movie : null, catalogue, pairs, bad);
        if (extraRatings is not null) ratings += ReadRatingsCsv(extraRatings, movie => movies.ContainsKey(movie) ? movie : null, catalogue, pairs, bad);
        return Build(DatasetName(dir), DatasetLayout.MovieLensLatest, pairs, ratings, id => new DatasetUser(id), id => movies[id]);
    }

    // ---------------------------------------------------------------- ml-1m / ml-10m

    private const string Needs1M = "the ml-1m / ml-10m layout needs ratings.dat and movies.dat (users.dat optional).";

    private static InteractionDataset Load1M(string dir, string? extraRatings, BadRows bad)
    {
        var ratingsPath = Require(dir, "ratings.dat", Needs1M);
        var moviesPath = Require(dir, "movies.dat", Needs1M);
        var usersPath = Path.Combine(dir, "users.dat");

        var movies = new Dictionary<string, DatasetItem>(StringComparer.Ordinal);
        ReadRows(moviesPath, TextEncoding(moviesPath), bad, (line, lineNumber) =>
        {
            var f = line.Split(DatSeparator);
            if (f.Length != 3) throw Malformed($"{moviesPath}:{lineNumber}: expected 3 '::'-separated fields (MovieID, Title, Genres), found {f.Length}");
            var id = ParseInt(f[0], moviesPath, lineNumber, "MovieID").ToString(CultureInfo.InvariantCulture);
            var title = f[1].Trim();
            IReadOnlyList<string> genres = f[2] is "" or "(no genres listed)" ? [] : f[2].Split('|');
            if (!movies.TryAdd(id, new DatasetItem(id, title, genres, TitleYear(title))))
                throw new BadRowException(BadRowKind.DuplicateId, $"{moviesPath}:{lineNumber}: MovieID {id} appears twice");
        });

        var users = File.Exists(usersPath) ? Read1MUsers(usersPath, bad) : new Dictionary<string, DatasetUser>();

        var pairs = new List<(string User, string Movie)>();
        var catalogue = Path.GetFileName(moviesPath);
        var ratings = 0;
        ReadRows(ratingsPath, Encoding.UTF8, bad, (line, lineNumber) =>
        {
            var f = line.Split(DatSeparator);
            if (f.Length != 4)
                throw Malformed($"{ratingsPath}:{lineNumber}: expected 4 '::'-separated fields, found {f.Length} (a row is: UserID, MovieID, Rating, Timestamp)");
            var user = ParseInt(f[0], ratingsPath, lineNumber, "UserID").ToString(CultureInfo.InvariantCulture);
            var movie = ParseInt(f[1], ratingsPath, lineNumber, "MovieID").ToString(CultureInfo.InvariantCulture);
            ParseRating(f[2], ratingsPath, lineNumber, "Rating");
            ParseLong(f[3], ratingsPath, lineNumber, "Timestamp");
            if (!movies.ContainsKey(movie))
                throw new BadRowException(BadRowKind.UnknownMovie, $"{ratingsPath}:{lineNumber}: MovieID {movie} is not in {catalogue}");
            pairs.Add((user, movie));
            ratings++;
        });
        if (extraRatings is not null) ratings += ReadRatingsCsv(extraRatings, movie => movies.ContainsKey(movie) ? movie : null, catalogue, pairs, bad);
        return Build(DatasetName(dir), DatasetLayout.MovieLens1M, pairs, ratings,
            id => users.TryGetValue(id, out var u) ? u : new DatasetUser(id), id => movies[id]);
    }

    private const string DatSeparator = "::";

    /// <summary>users.dat rows: UserID::Gender::Age::Occupation::Zip-code (the age is its group's lower bound, the occupation a code).</summary>
    private static Dictionary<string, DatasetUser> Read1MUsers(string path, BadRows bad)
    {
        var users = new Dictionary<string, DatasetUser>(StringComparer.Ordinal);
        ReadRows(path, TextEncoding(path), bad, (line, lineNumber) =>
        {
            var f = line.Split(DatSeparator);
            if (f.Length != 5) throw Malformed($"{path}:{lineNumber}: expected 5 '::'-separated fields (UserID, Gender, Age, Occupation, Zip-code), found {f.Length}");
            var id = ParseInt(f[0], path, lineNumber, "UserID").ToString(CultureInfo.InvariantCulture);
            var age = ParseInt(f[2], path, lineNumber, "Age");
            if (!users.TryAdd(id, new DatasetUser(id, age, NullIfEmpty(f[1]), NullIfEmpty(f[3]), NullIfEmpty(f[4]))))
                throw new BadRowException(BadRowKind.DuplicateId, $"{path}:{lineNumber}: UserID {id} appears twice");
        });
        return users;
    }

    /// <summary>Parses every non-empty line of a headerless file (with its 1-based number) as one row: a bad row stops or is skipped.</summary>
    private static void ReadRows(string path, Encoding encoding, BadRows bad, Action<string, int> parse)
    {
        var lineNumber = 0;
        foreach (var line in File.ReadLines(path, encoding))
        {
            lineNumber++;
            if (line.Length == 0) continue;
            var number = lineNumber;
            bad.Row(() => parse(line, number));
        }
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
            return Latin1;
        }
    }

    private static readonly Encoding StrictUtf8 = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

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
            ? v : throw Malformed($"{path}:{line}: {what} '{Shown(s)}' is not an integer");

    private static long ParseLong(string s, string path, int line, string what) =>
        long.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v)
            ? v : throw Malformed($"{path}:{line}: {what} '{Shown(s)}' is not an integer");

    private static double ParseRating(string s, string path, int line, string what)
    {
        if (!double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) || double.IsNaN(v))
            throw Malformed($"{path}:{line}: {what} '{Shown(s)}' is not a number");
        if (!(v >= MinRating && v <= MaxRating))
            throw new BadRowException(BadRowKind.RatingOutOfRange, $"{path}:{line}: {what} {Shown(s)} is outside {MinRating.ToString(CultureInfo.InvariantCulture)} to {MaxRating.ToString(CultureInfo.InvariantCulture)}");
        return v;
    }

    // A field quoted in a message: printable and short, so the message stays one readable line.
    private static string Shown(string s)
    {
        var clean = new string(s.Select(c => char.IsControl(c) ? ' ' : c).ToArray());
        return clean.Length > 40 ? clean[..40] + "..." : clean;
    }
}
