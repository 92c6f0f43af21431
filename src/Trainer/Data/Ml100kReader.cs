using System.Globalization;
using System.Text;

namespace MovieRecommender.Trainer.Data;

/// <summary>
/// Reads the MovieLens 100K layout: u.data (tab-separated ratings), u.item ('|'-separated movies with 19 genre flags,
/// Latin-1), optional u.user (demographics) and u.genre (the flags' names). Movies are keyed by title, as the PyTorch
/// reference keys them: several ids with one title are one movie, under the smallest id.
/// </summary>
public static class Ml100kReader
{
    private const string Needs = "the MovieLens 100K layout needs u.data and u.item (u.user and u.genre optional).";

    private static readonly RatingRowFormat Ratings = new(FieldSeparator.Tab, "user id", "movie id", "rating", "timestamp", "user, movie, rating, timestamp");

    private static readonly UserRowFormat Users =
        new(FieldSeparator.Pipe, "id, age, gender, occupation, zip", "user id", "age", AgeColumn: 1, GenderColumn: 2);

    public static InteractionDataset Load(string dir, string? extraRatings, BadRowPolicy bad, ExtraMovies? extraMovies = null)
    {
        var dataPath = LayoutReader.Require(dir, "u.data", Needs);
        var itemPath = LayoutReader.Require(dir, "u.item", Needs);
        var genrePath = Path.Combine(dir, "u.genre");
        var userPath = Path.Combine(dir, "u.user");
        var genres = File.Exists(genrePath) ? ReadGenres(genrePath) : MovieLensLoader.StandardGenres;
        var catalogue = Path.GetFileName(itemPath);

        // Movies keyed by title: several ids with one title become one movie, with the smallest id.
        var titleOfId = new Dictionary<string, string>(StringComparer.Ordinal);
        var movieOfTitle = new Dictionary<string, DatasetItem>(StringComparer.Ordinal);
        LayoutReader.ReadRows(itemPath, Encoding.Latin1, bad, (line, lineNumber) =>
        {
            var f = line.Split('|');
            if (f.Length != 5 + genres.Count)
                throw BadRowException.Malformed($"{itemPath}:{lineNumber}: expected {5 + genres.Count} '|'-separated fields " +
                    $"(id, title, release date, video date, URL, {genres.Count} genre flags), found {f.Length}");
            var id = FieldParser.Int(f[0], itemPath, lineNumber, "movie id");
            var key = id.ToString(CultureInfo.InvariantCulture);
            if (titleOfId.ContainsKey(key)) throw new BadRowException(BadRowKind.DuplicateId, $"{itemPath}:{lineNumber}: movie id {id} appears twice");
            var title = f[1];
            var movieGenres = new List<string>();
            for (var g = 0; g < genres.Count; g++)
            {
                var flag = f[5 + g];
                if (flag == "1") movieGenres.Add(genres[g]);
                else if (flag != "0") throw BadRowException.Malformed($"{itemPath}:{lineNumber}: genre flag {g + 1} is '{flag}', expected 0 or 1");
            }
            var year = ParseReleaseYear(f[2]) ?? MovieLensLoader.TitleYear(title);
            titleOfId[key] = title;
            var movie = new DatasetItem(key, title, movieGenres, year);
            if (!movieOfTitle.TryGetValue(title, out var existing) || id < int.Parse(existing.Id, CultureInfo.InvariantCulture))
                movieOfTitle[title] = movie;
        });

        var listed = extraMovies?.Apply(titleOfId, movieOfTitle) ?? [];
        var users = File.Exists(userPath) ? Users.Read(userPath, Encoding.Latin1, bad) : new Dictionary<string, DatasetUser>();

        var pairs = new List<(string User, string Title)>();
        Func<string, string?> titleOf = movie => titleOfId.GetValueOrDefault(movie);
        var ratings = Ratings.Read(dataPath, Encoding.UTF8, bad, titleOf, catalogue, pairs);
        if (extraRatings is not null) ratings += MlLatestReader.ReadRatings(extraRatings, titleOf, catalogue, pairs, bad);
        return LayoutReader.Build(LayoutReader.DatasetName(dir), DatasetLayout.MovieLens100K, pairs, ratings,
            userId => users.TryGetValue(userId, out var u) ? u : new DatasetUser(userId),
            title => movieOfTitle[title], listed);
    }

    /// <summary>u.genre rows: name|index, the indexes 0..n-1 in any order. A bad row is a bad file, never skipped: every
    /// u.item row depends on it.</summary>
    private static List<string> ReadGenres(string path)
    {
        var byIndex = new SortedDictionary<int, string>();
        var lineNumber = 0;
        foreach (var line in File.ReadLines(path, Encoding.Latin1))
        {
            lineNumber++;
            if (line.Trim().Length == 0) continue;
            var f = line.Split('|');
            if (f.Length != 2) throw new InvalidDataException($"{path}:{lineNumber}: expected 2 '|'-separated fields (name, index), found {f.Length}.");
            int index;
            try { index = FieldParser.Int(f[1], path, lineNumber, "genre index"); }
            catch (BadRowException e) { throw new InvalidDataException(e.Fault + ".", e); }
            if (!byIndex.TryAdd(index, f[0])) throw new InvalidDataException($"{path}:{lineNumber}: genre index {index} appears twice.");
        }
        var list = byIndex.Values.ToList();
        if (byIndex.Keys.Select((k, n) => k != n).Any(b => b))
            throw new InvalidDataException($"{path}: genre indexes must be 0..{list.Count - 1} without gaps.");
        return list;
    }

    private static int? ParseReleaseYear(string date)
    {
        // "01-Jan-1995"
        if (date.Length >= 4 && int.TryParse(date.AsSpan(date.Length - 4), NumberStyles.None, CultureInfo.InvariantCulture, out var y)) return y;
        return null;
    }
}
