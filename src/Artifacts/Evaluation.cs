using System.Text.Json.Serialization;

namespace MovieRecommender.Artifacts;

/// <summary>Top-K accuracy of one method, keyed by K ("1", "5", "10", "50", "100"), as fractions.</summary>
public sealed record MethodEvaluation(
    [property: JsonPropertyName("all")] IReadOnlyDictionary<string, double> All,
    [property: JsonPropertyName("seenExcluded")] IReadOnlyDictionary<string, double> SeenExcluded);

/// <summary>The evaluation table of EVALUATION.md: the model and both baselines, on the same split.</summary>
public sealed record EvaluationTable(
    [property: JsonPropertyName("model")] MethodEvaluation Model,
    [property: JsonPropertyName("popularity")] MethodEvaluation Popularity,
    [property: JsonPropertyName("ease")] MethodEvaluation Ease)
{
    public static readonly int[] Ks = [1, 5, 10, 50, 100];
}
