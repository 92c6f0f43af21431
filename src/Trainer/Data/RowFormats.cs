using System.Text;

namespace MovieRecommender.Trainer.Data;

/// <summary>How a layout separates a row's fields, and the word its messages use for it.</summary>
public sealed record FieldSeparator(string Text, string Name)
{
    public static readonly FieldSeparator Tab = new("\t", "tab");
    public static readonly FieldSeparator Comma = new(",", "comma");
    public static readonly FieldSeparator Pipe = new("|", "'|'");
    public static readonly FieldSeparator DoubleColon = new("::", "'::'");
}

/// <summary>
/// A layout's ratings rows: user, movie, rating, timestamp in every layout, only the separator and the fields' names
/// differ. One parse for all, so the checks, their order and their wording cannot drift apart between layouts.
/// </summary>
/// <param name="RowIs">The fields as the field-count fault lists them ("a row is: ...").</param>
public sealed record RatingRowFormat(FieldSeparator Separator, string User, string Movie, string Rating, string Timestamp, string RowIs)
{
    /// <summary>
    /// Reads a ratings file's rows into (user, movie key) pairs in file order; the number of rows kept.
    /// <paramref name="keyOfMovie"/> maps a movie id to the dataset's movie key, or null when the catalogue lacks it;
    /// <paramref name="catalogue"/> is how that fault names the catalogue.
    /// </summary>
    public int Read(string path, Encoding encoding, BadRowPolicy bad, Func<string, string?> keyOfMovie, string catalogue,
        List<(string User, string Movie)> pairs, (string Expected, string Start)? header = null)
    {
        var ratings = 0;
        LayoutReader.ReadRows(path, encoding, bad, (line, lineNumber) =>
        {
            pairs.Add(Parse(line, path, lineNumber, keyOfMovie, catalogue));
            ratings++;
        }, header);
        return ratings;
    }

    /// <summary>One row's user id and movie key; a bad row throws <see cref="BadRowException"/>.</summary>
    public (string User, string Movie) Parse(string line, string path, int lineNumber, Func<string, string?> keyOfMovie, string catalogue)
    {
        var f = line.Split(Separator.Text);
        if (f.Length != 4)
            throw BadRowException.Malformed($"{path}:{lineNumber}: expected 4 {Separator.Name}-separated fields, found {f.Length} (a row is: {RowIs})");
        var user = FieldParser.Id(f[0], path, lineNumber, User);
        var movie = FieldParser.Id(f[1], path, lineNumber, Movie);
        FieldParser.Rating(f[2], path, lineNumber, Rating);
        FieldParser.Long(f[3], path, lineNumber, Timestamp);
        var key = keyOfMovie(movie) ?? throw new BadRowException(BadRowKind.UnknownMovie, $"{path}:{lineNumber}: {Movie} {movie} is not in {catalogue}");
        return (user, key);
    }
}

/// <summary>
/// A users file's rows: id, then age and gender (ML-100K's u.user lists age first, ml-1m's users.dat gender first),
/// occupation, zip. One parse for both, so their demographics become the same <see cref="DatasetUser"/> fields.
/// </summary>
/// <param name="Fields">The five fields as the field-count fault lists them.</param>
public sealed record UserRowFormat(FieldSeparator Separator, string Fields, string Id, string Age, int AgeColumn, int GenderColumn)
{
    /// <summary>The users by id, the first row of an id kept (a later one is a <see cref="BadRowKind.DuplicateId"/>).</summary>
    public Dictionary<string, DatasetUser> Read(string path, Encoding encoding, BadRowPolicy bad)
    {
        var users = new Dictionary<string, DatasetUser>(StringComparer.Ordinal);
        LayoutReader.ReadRows(path, encoding, bad, (line, lineNumber) =>
        {
            var f = line.Split(Separator.Text);
            if (f.Length != 5)
                throw BadRowException.Malformed($"{path}:{lineNumber}: expected 5 {Separator.Name}-separated fields ({Fields}), found {f.Length}");
            var id = FieldParser.Id(f[0], path, lineNumber, Id);
            var age = FieldParser.Int(f[AgeColumn], path, lineNumber, Age);
            var user = new DatasetUser(id, age, FieldParser.NullIfEmpty(f[GenderColumn]), FieldParser.NullIfEmpty(f[3]), FieldParser.NullIfEmpty(f[4]));
            if (!users.TryAdd(id, user))
                throw new BadRowException(BadRowKind.DuplicateId, $"{path}:{lineNumber}: {Id} {id} appears twice");
        });
        return users;
    }
}

/// <summary>
/// A movies.csv or movies.dat row once split: id, title, '|'-separated genres ("(no genres listed)" for none). One parse
/// for both, so ml-latest's and ml-1m's catalogues give the same <see cref="DatasetItem"/>s.
/// </summary>
/// <param name="Fields">The three fields as the field-count fault lists them.</param>
/// <param name="Hint">Said after a wrong field count: what usually causes it in this file.</param>
public sealed record MovieRowFormat(FieldSeparator Separator, string Fields, string Id, string Hint = "")
{
    /// <summary>Adds the row's movie under its id; an id already there is a <see cref="BadRowKind.DuplicateId"/>, the first kept.</summary>
    public void Add(Dictionary<string, DatasetItem> movies, IReadOnlyList<string> f, string path, int lineNumber)
    {
        if (f.Count != 3)
            throw BadRowException.Malformed($"{path}:{lineNumber}: expected 3 {Separator.Name}-separated fields ({Fields}), found {f.Count}{Hint}");
        var id = FieldParser.Id(f[0], path, lineNumber, Id);
        var title = f[1].Trim();
        IReadOnlyList<string> genres = f[2] is "" or "(no genres listed)" ? [] : f[2].Split('|');
        if (!movies.TryAdd(id, new DatasetItem(id, title, genres, MovieLensLoader.TitleYear(title))))
            throw new BadRowException(BadRowKind.DuplicateId, $"{path}:{lineNumber}: {Id} {id} appears twice");
    }
}
