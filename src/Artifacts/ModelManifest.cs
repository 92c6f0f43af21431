using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace MovieRecommender.Artifacts;

public sealed record ArtifactCounts(
    [property: JsonPropertyName("users")] int Users,
    [property: JsonPropertyName("items")] int Items,
    [property: JsonPropertyName("trainInteractions")] int TrainInteractions,
    [property: JsonPropertyName("testInteractions")] int TestInteractions);

/// <summary>
/// <c>manifest.json</c>: what the artifact is, how it was made, how well it ranks, and a SHA-256 of every other file.
/// </summary>
public sealed record ModelManifest(
    [property: JsonPropertyName("formatVersion")] int FormatVersion,
    [property: JsonPropertyName("version")] string Version,
    [property: JsonPropertyName("createdAt")] DateTimeOffset CreatedAt,
    [property: JsonPropertyName("dataset")] string Dataset,
    [property: JsonPropertyName("dimension")] int Dimension,
    [property: JsonPropertyName("counts")] ArtifactCounts Counts,
    [property: JsonPropertyName("splitSeed")] int SplitSeed,
    [property: JsonPropertyName("hyperParameters")] JsonObject HyperParameters,
    [property: JsonPropertyName("evaluation")] EvaluationTable Evaluation,
    [property: JsonPropertyName("trainingSeconds")] double TrainingSeconds,
    [property: JsonPropertyName("files")] IReadOnlyDictionary<string, string> Files)
{
    public const string FileName = "manifest.json";
    public const int CurrentFormatVersion = 1;

    public static readonly JsonSerializerOptions JsonOptions = new() { WriteIndented = true };

    public string ToJson() => JsonSerializer.Serialize(this, JsonOptions);

    public static ModelManifest FromJson(string json, string path) =>
        JsonSerializer.Deserialize<ModelManifest>(json, JsonOptions)
        ?? throw new InvalidDataException($"{path}: empty manifest.");
}
