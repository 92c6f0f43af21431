using System.Text.Json;
using MovieRecommender.Grains;

namespace MovieRecommender.Contracts;

/// <summary>
/// A recommendation as JSON: what <c>recommend --json</c> prints per line and what the HTTP API answers, one shape
/// for both so a program can move from one door to the other without a change.
/// </summary>
public sealed record RecommendationJson(
    string User,
    string ModelVersion,
    string Source,
    double LatencyMs,
    int ShardsAnswered,
    int ShardCount,
    IReadOnlyList<RecommendedItemJson> Items)
{
    /// <summary>camelCase names (<c>modelVersion</c>), as ASP.NET Core writes them too.</summary>
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);

    public static RecommendationJson From(Recommendation r, TimeSpan latency) => new(
        r.UserId,
        r.ModelVersion,
        r.Source.ToString().ToLowerInvariant(),
        Math.Round(latency.TotalMilliseconds, 3),
        r.ShardsAnswered,
        r.ShardCount,
        r.Movies.Select((m, i) => new RecommendedItemJson(i + 1, m.Id, m.Title, m.Score)).ToArray());
}

/// <summary>One movie of a <see cref="RecommendationJson"/>: its rank (1 = best), id, title and score.</summary>
public sealed record RecommendedItemJson(int Rank, string Id, string Title, float Score);
