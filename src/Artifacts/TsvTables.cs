using System.Globalization;
using System.Text;

namespace MovieRecommender.Artifacts;

/// <summary>
/// The artifact's metadata tables. <c>items.tsv</c>: header <c>id	title	genres	year</c>, genres joined by '|',
/// year empty when unknown. <c>users.tsv</c>: header <c>id	seen</c>, seen item ids separated by spaces.
/// </summary>
public static class TsvTables
{
    public const string ItemsHeader = "id\ttitle\tgenres\tyear";
    public const string UsersHeader = "id\tseen";

    public static void WriteItems(string path, IEnumerable<CatalogItem> items)
    {
        using var writer = new StreamWriter(path, append: false, new UTF8Encoding(false));
        writer.NewLine = "\n";
        writer.WriteLine(ItemsHeader);
        foreach (var item in items)
        {
            writer.Write(Clean(item.Id)); writer.Write('\t');
            writer.Write(Clean(item.Title)); writer.Write('\t');
            writer.Write(string.Join('|', item.Genres.Select(Clean))); writer.Write('\t');
            writer.WriteLine(item.Year?.ToString(CultureInfo.InvariantCulture) ?? "");
        }
    }

    public static void WriteUsers(string path, IEnumerable<ArtifactUser> users)
    {
        using var writer = new StreamWriter(path, append: false, new UTF8Encoding(false));
        writer.NewLine = "\n";
        writer.WriteLine(UsersHeader);
        foreach (var user in users)
        {
            writer.Write(Clean(user.Id)); writer.Write('\t');
            writer.WriteLine(string.Join(' ', user.Seen));
        }
    }

    public static List<CatalogItem> ReadItems(string path)
    {
        var items = new List<CatalogItem>();
        foreach (var (fields, line) in ReadRows(path, ItemsHeader, 4))
        {
            int? year = null;
            if (fields[3].Length > 0)
            {
                if (!int.TryParse(fields[3], NumberStyles.Integer, CultureInfo.InvariantCulture, out var y))
                    throw new InvalidDataException($"{path}:{line}: year '{fields[3]}' is not an integer.");
                year = y;
            }
            var genres = fields[2].Length == 0 ? [] : fields[2].Split('|');
            items.Add(new CatalogItem(fields[0], fields[1], genres, year));
        }
        return items;
    }

    public static List<ArtifactUser> ReadUsers(string path)
    {
        var users = new List<ArtifactUser>();
        foreach (var (fields, _) in ReadRows(path, UsersHeader, 2))
            users.Add(new ArtifactUser(fields[0], fields[1].Split(' ', StringSplitOptions.RemoveEmptyEntries)));
        return users;
    }

    private static IEnumerable<(string[] Fields, int Line)> ReadRows(string path, string header, int columns)
    {
        using var reader = new StreamReader(path, Encoding.UTF8);
        var first = reader.ReadLine();
        if (first != header)
            throw new InvalidDataException($"{path}:1: expected the header '{header.Replace("\t", "\\t")}', found '{first?.Replace("\t", "\\t")}'.");
        var lineNumber = 1;
        while (reader.ReadLine() is { } text)
        {
            lineNumber++;
            var fields = text.Split('\t');
            if (fields.Length != columns)
                throw new InvalidDataException($"{path}:{lineNumber}: expected {columns} tab-separated fields, found {fields.Length}.");
            if (fields[0].Length == 0)
                throw new InvalidDataException($"{path}:{lineNumber}: the id is empty.");
            yield return (fields, lineNumber);
        }
    }

    // Tabs and line breaks would break the table; ids and titles never need them.
    private static string Clean(string text) => text.Replace('\t', ' ').Replace('\n', ' ').Replace('\r', ' ');
}
