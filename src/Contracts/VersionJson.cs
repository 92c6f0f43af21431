using System.Text.Json;
using System.Text.Json.Nodes;
using MovieRecommender.Grains;

namespace MovieRecommender.Contracts;

/// <summary>
/// A model version as <c>versions</c> and <c>active</c> show it: status (<c>active</c>, <c>previous</c>,
/// <c>retired</c>), size, layout, and the evaluation table of its manifest (top-K accuracy on the test split).
/// </summary>
public sealed record VersionJson(
    string Version,
    string Status,
    DateTimeOffset PublishedAt,
    int Movies,
    int Users,
    int Dimension,
    int CandidateShards,
    int UserShards,
    long EmbeddingBytes,
    string? Dataset,
    JsonNode? Evaluation)
{
    public static VersionJson From(VersionRecord record)
    {
        var info = record.Info;
        JsonNode? manifest = null;
        try { manifest = JsonNode.Parse(record.ManifestJson); }
        catch (JsonException) { /* a manifest that does not parse: listed without its figures, as the console does */ }
        return new VersionJson(info.Version, record.Status.ToString().ToLowerInvariant(), info.PublishedAt, info.ItemCount, info.UserCount,
            info.Dimension, info.CandidateShards, info.UserShards, record.EmbeddingBytes,
            manifest?["dataset"]?.GetValue<string>(), manifest?["evaluation"]?.DeepClone());
    }
}
