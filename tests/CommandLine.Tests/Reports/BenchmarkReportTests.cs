using System.Text.Json.Nodes;

namespace MovieRecommender.CommandLine.Tests.Reports;

/// <summary>The committed benchmark reports name no path of the machine they ran on.</summary>
public sealed class BenchmarkReportTests
{
    [Fact]
    public void NoCommittedReportRecordsAnAbsolutePath()
    {
        var reports = Directory.GetFiles(Path.Combine(RepositoryRoot.Path, "bench", "results"), "*.json");
        Assert.NotEmpty(reports);
        var found = reports.SelectMany(file => AbsolutePaths(JsonNode.Parse(File.ReadAllText(file))).Select(p => $"{Path.GetFileName(file)}: {p}")).ToList();
        Assert.True(found.Count == 0, "absolute paths in reports:\n" + string.Join('\n', found.Take(20)));
    }

    private static IEnumerable<string> AbsolutePaths(JsonNode? node) => node switch
    {
        JsonObject obj => obj.SelectMany(p => AbsolutePaths(p.Value)),
        JsonArray array => array.SelectMany(AbsolutePaths),
        JsonValue value when value.TryGetValue<string>(out var text) && text.Length > 1 && text[0] == '/' && !text.Contains(' ') => [text],
        _ => [],
    };
}
