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

    /// <summary>The largest manifest read: a real one is a few kilobytes.</summary>
    public const long MaxBytes = 16 << 20;

    /// <summary>The largest embedding dimension accepted.</summary>
    public const int MaxDimension = 65_536;

    public static ModelManifest FromJson(string json, string path) =>
        JsonSerializer.Deserialize<ModelManifest>(json, JsonOptions)
        ?? throw new InvalidDataException($"{path}: empty manifest.");

    /// <summary>Reads and checks <c>manifest.json</c>: every field there, of the right kind, and nothing that could name a
    /// file outside the artifact's folder; each fault an <see cref="ArtifactException"/> naming the file.</summary>
    public static ModelManifest Read(string path)
    {
        if (new FileInfo(path).Length > MaxBytes)
            throw new ArtifactException($"{path}: {new FileInfo(path).Length} bytes, too large for a manifest (at most {MaxBytes}).");
        ModelManifest manifest;
        try
        {
            manifest = FromJson(File.ReadAllText(path), path);
        }
        catch (JsonException e)
        {
            throw new ArtifactException($"{path}: not a valid manifest ({e.Message}).", e);
        }
        manifest.Check(path);
        return manifest;
    }

    private void Check(string path)
    {
        string Fault(string what) => $"{path}: {what}";
        if (FormatVersion != CurrentFormatVersion)
            throw new ArtifactException(Fault($"formatVersion is {FormatVersion}; this program reads format {CurrentFormatVersion}."));
        if (string.IsNullOrEmpty(Version) || Version.Length > 100 || !Version.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.') || Version.StartsWith('.'))
            throw new ArtifactException(Fault($"version '{Version}' is not a version id (letters, digits, '-', '_' and '.', as 'train' writes them)."));
        if (Dimension is < 1 or > MaxDimension)
            throw new ArtifactException(Fault($"dimension is {Dimension}; expected 1 to {MaxDimension}."));
        if (Counts is null) throw new ArtifactException(Fault("has no counts."));
        if (Counts.Users < 0 || Counts.Items < 0 || Counts.TrainInteractions < 0 || Counts.TestInteractions < 0)
            throw new ArtifactException(Fault("counts must not be negative."));
        if (HyperParameters is null) throw new ArtifactException(Fault("has no hyperParameters."));
        if (HyperParameters["itemBias"] is { } bias && bias.GetValueKind() is not (JsonValueKind.True or JsonValueKind.False))
            throw new ArtifactException(Fault($"hyperParameters.itemBias is {bias.ToJsonString()}; expected true or false."));
        if (Evaluation is null || new[] { Evaluation.Model, Evaluation.Popularity, Evaluation.Ease }.Any(m => m is null || m.All is null || m.SeenExcluded is null))
            throw new ArtifactException(Fault("has no complete evaluation table (model, popularity, ease; all and seenExcluded each)."));
        if (Files is null) throw new ArtifactException(Fault("lists no files."));
        foreach (var (name, hash) in Files)
        {
            if (name.Length == 0 || name != System.IO.Path.GetFileName(name) || name.Contains('\\') || name is "." or ".." || name == FileName || name.Any(char.IsControl))
                throw new ArtifactException(Fault($"lists the file '{name}', which is not a plain file name of the artifact's folder."));
            if (hash is null || hash.Length != 64 || !hash.All(char.IsAsciiHexDigit))
                throw new ArtifactException(Fault($"the checksum of {name} is '{hash}', not a SHA-256 (64 hex digits)."));
        }
        foreach (var required in new[] { ArtifactFiles.ItemEmbeddings, ArtifactFiles.UserEmbeddings, ArtifactFiles.Items, ArtifactFiles.Users })
            if (!Files.ContainsKey(required))
                throw new ArtifactException(Fault($"lists no checksum for {required}."));
    }
}
