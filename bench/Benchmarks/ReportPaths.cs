using System.Text.Json.Nodes;

namespace MovieRecommender.Benchmarks;

/// <summary>
/// Keeps the machine's own paths out of a committed report: every string value that is an absolute path becomes
/// relative to the repository (<c>bench/results/...</c>), to its parent for what lies beside it
/// (<c>../shared/data/ml-100k</c>), or, for anything elsewhere (a temporary folder), its last two parts
/// (<c>.../models/20261129-164802-0620</c>), which still name the artifact.
/// </summary>
public static class ReportPaths
{
    public static JsonNode? Anonymize(JsonNode? node, string repositoryRoot)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var key in obj.Select(p => p.Key).ToList())
                    obj[key] = Anonymize(obj[key], repositoryRoot);
                return obj;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    // An array refuses its own item back ("the node already has a parent"): replace changed items only.
                    var item = array[i];
                    var anonymized = Anonymize(item, repositoryRoot);
                    if (!ReferenceEquals(anonymized, item)) array[i] = anonymized;
                }
                return array;
            case JsonValue value when value.TryGetValue<string>(out var text) && IsAbsolutePath(text):
                return JsonValue.Create(Relative(text, repositoryRoot));
            default:
                return node;
        }
    }

    public static string Relative(string path, string repositoryRoot)
    {
        var full = Path.GetFullPath(path);
        var root = Path.GetFullPath(repositoryRoot);
        if (IsUnder(full, root)) return Path.GetRelativePath(root, full);
        if (Path.GetDirectoryName(root) is { } parent && IsUnder(full, parent)) return Path.GetRelativePath(root, full);
        var parts = full.Split('/', StringSplitOptions.RemoveEmptyEntries);
        return ".../" + string.Join('/', parts.TakeLast(2));
    }

    private static bool IsAbsolutePath(string text) =>
        text.Length > 1 && text[0] == '/' && !text.Contains(' ') && !text.Contains('\n');

    private static bool IsUnder(string path, string folder) =>
        path == folder || path.StartsWith(folder.TrimEnd('/') + "/", StringComparison.Ordinal);
}
