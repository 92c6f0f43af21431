using System.Globalization;
using System.Text;
using MovieRecommender.Artifacts;

namespace MovieRecommender.Trainer.Data;

/// <summary>
/// Reads <c>train --extra-movies</c>: a CSV with the header <c>movieId,title,genres,year</c>, as the console's
/// <c>export-catalogue</c> writes it. movieId is a positive integer, the title is not empty (quoted when it holds commas),
/// genres are '|'-separated (empty or "(no genres listed)" for none), year is an integer from <see cref="MinYear"/> to
/// <see cref="MaxYear"/> (empty when unknown, as the catalogue has such movies). A row listing a movie the dataset has
/// replaces its title, genres and year; a new id adds a movie. Bad rows go through the same <see cref="BadRowPolicy"/>
/// as the ratings: path:line and the fault, or skipped and counted with <c>--skip-bad-rows</c>.
/// </summary>
public static class ExtraMoviesReader
{
    // The years a movie put live may have, so that every exported row reads back.
    public const int MinYear = Grains.MovieDescription.MinYear;
    public const int MaxYear = Grains.MovieDescription.MaxYear;

    private static readonly (string Expected, string Start) Header = (MovieCsv.Header, MovieCsv.Header);

    /// <summary>The file's movies in file order (ids canonical, as the dataset keys them); a repeated id is a <see cref="BadRowKind.DuplicateId"/>, the first kept.</summary>
    public static IReadOnlyList<DatasetItem> Read(string path, BadRowPolicy bad)
    {
        var movies = new List<DatasetItem>();
        var ids = new HashSet<string>(StringComparer.Ordinal);
        LayoutReader.ReadRows(path, Encoding.UTF8, bad, (line, lineNumber) =>
        {
            List<string> f;
            try { f = CsvLine.Split(line, path, lineNumber); }
            catch (InvalidDataException e) { throw BadRowException.Malformed(e.Message.TrimEnd('.')); }
            var movie = Parse(f, path, lineNumber);
            if (!ids.Add(movie.Id)) throw new BadRowException(BadRowKind.DuplicateId, $"{path}:{lineNumber}: movieId {movie.Id} appears twice");
            movies.Add(movie);
        }, Header);
        return movies;
    }

    private static DatasetItem Parse(List<string> f, string path, int lineNumber)
    {
        if (f.Count != 4)
            throw BadRowException.Malformed($"{path}:{lineNumber}: expected 4 comma-separated fields (movieId, title, genres, year), found {f.Count}; quote a title that holds commas");
        var id = FieldParser.Int(f[0], path, lineNumber, "movieId");
        if (id < 1) throw BadRowException.Malformed($"{path}:{lineNumber}: movieId {id} is not a positive integer");
        var title = f[1].Trim();
        if (title.Length == 0) throw BadRowException.Malformed($"{path}:{lineNumber}: the title is empty");
        IReadOnlyList<string> genres = f[2].Trim() is "" or "(no genres listed)"
            ? [] : f[2].Split('|', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        int? year = null;
        if (f[3].Trim().Length > 0)
        {
            var y = FieldParser.Int(f[3].Trim(), path, lineNumber, "year");
            if (y is < MinYear or > MaxYear) throw BadRowException.Malformed($"{path}:{lineNumber}: year {y} is outside {MinYear} to {MaxYear}");
            year = y;
        }
        return new DatasetItem(id.ToString(CultureInfo.InvariantCulture), title, genres, year);
    }
}
