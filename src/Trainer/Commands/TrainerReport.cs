using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace MovieRecommender.Trainer.Commands;

/// <summary>The JSON reports the trainer's measuring commands (<c>spread</c>, <c>ablation</c>) write: one header, one format.</summary>
public static class TrainerReport
{
    // Relaxed escaping: the report is read by people, and "+" or "'" escaped as \u002B would not help them.
    public static readonly JsonSerializerOptions JsonOptions = new()
    {
        WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>A report's first entries: what it measured, when, with which command line, on which dataset.</summary>
    public static JsonObject Start(string benchmark, string dataset) => new()
    {
        ["benchmark"] = benchmark,
        ["createdAt"] = DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture),
        ["command"] = "recommender-trainer " + string.Join(' ', Environment.GetCommandLineArgs().Skip(1)),
        ["dataset"] = dataset,
    };

    /// <summary>Writes the report to <paramref name="path"/>, creating its folder.</summary>
    public static void Write(string path, JsonObject report)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        File.WriteAllText(path, report.ToJsonString(JsonOptions));
    }
}
