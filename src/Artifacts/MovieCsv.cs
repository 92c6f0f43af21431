namespace MovieRecommender.Artifacts;

/// <summary>
/// The movies file the live catalogue exports and training takes back (<c>export-catalogue</c>, <c>put-movies</c>,
/// <c>train --extra-movies</c>): a header, then <c>movieId,title,genres,year</c> rows, genres separated by '|' as
/// MovieLens writes them, fields quoted as <see cref="CsvLine"/> reads them.
/// </summary>
public static class MovieCsv
{
    public const string Header = "movieId,title,genres,year";

    public static string Row(string id, string title, IEnumerable<string> genres, int year) =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{id},{CsvLine.Field(title)},{CsvLine.Field(string.Join('|', genres))},{year}");
}
