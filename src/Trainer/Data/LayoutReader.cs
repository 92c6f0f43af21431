using System.Text;

namespace MovieRecommender.Trainer.Data;

/// <summary>
/// What every layout reader (<see cref="Ml100kReader"/>, <see cref="MlLatestReader"/>, <see cref="Ml1mReader"/>) does
/// around its own rows: find its files, feed their lines through the <see cref="BadRowPolicy"/> one row at a time, and
/// index what it read into an <see cref="InteractionDataset"/> the same way, whatever the layout.
/// </summary>
public static class LayoutReader
{
    /// <summary>The folder's name, for the manifest (e.g. <c>ml-100k</c>).</summary>
    public static string DatasetName(string dir) =>
        Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(dir)));

    /// <summary>The path of a file the layout cannot do without; its absence names what the layout needs.</summary>
    public static string Require(string dir, string file, string layoutDescription)
    {
        var path = Path.Combine(dir, file);
        if (!File.Exists(path))
            throw new FileNotFoundException($"{dir}: {file} is missing; {layoutDescription}");
        return path;
    }

    /// <summary>
    /// Parses every non-empty line of a file (with its 1-based number) as one row: a bad row stops or is skipped. With a
    /// <paramref name="header"/>, line 1 must start with its <c>Start</c> (a byte order mark aside) and is not a row: another
    /// header means the wrong file, not a bad row, so it stops the load even when skipping.
    /// </summary>
    public static void ReadRows(string path, Encoding encoding, BadRowPolicy bad, Action<string, int> parse, (string Expected, string Start)? header = null)
    {
        var lineNumber = 0;
        foreach (var line in File.ReadLines(path, encoding))
        {
            lineNumber++;
            if (lineNumber == 1 && header is { } h)
            {
                if (!line.TrimStart('\uFEFF').StartsWith(h.Start, StringComparison.Ordinal))
                    throw new InvalidDataException($"{path}:1: expected the header '{h.Expected}', found '{line}'.");
                continue;
            }
            if (line.Length == 0) continue;
            var number = lineNumber;
            bad.Row(() => parse(line, number));
        }
    }

    /// <summary>Unique pairs in order of first appearance; users and items indexed in ordinal order of their keys,
    /// as the PyTorch reference's <c>sorted()</c> does (user ids as strings; titles for ML-100K, movieIds for ml-latest).
    /// The catalogue is the movies rated, and <paramref name="listedItems"/> (<c>--extra-movies</c>) even if nobody rated them.</summary>
    public static InteractionDataset Build(string name, DatasetLayout layout, List<(string User, string Item)> pairs, int ratings,
        Func<string, DatasetUser> user, Func<string, DatasetItem> item, IReadOnlyList<string>? listedItems = null)
    {
        var userKeys = new SortedSet<string>(StringComparer.Ordinal);
        var itemKeys = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var (u, i) in pairs) { userKeys.Add(u); itemKeys.Add(i); }
        if (listedItems is not null) itemKeys.UnionWith(listedItems);
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
}
