using System.Diagnostics;
using MovieRecommender.Grains;
using MovieRecommender.Telemetry;

namespace MovieRecommender.Client;

/// <summary>
/// The console's spans: each recommendation it asks for is the root of one trace (<c>console.recommend</c>), which
/// Orleans carries into the user grain and on to every shard.
/// </summary>
public static class ClientTelemetry
{
    public static readonly ActivitySource ActivitySource = new("MovieRecommender.Client");

    /// <summary>A root span for one recommendation; <paramref name="traceShare"/> below 1 keeps only that share of such traces.</summary>
    public static Activity? StartRecommend(string user, int k, double traceShare = 1)
    {
        var tags = traceShare < 1 ? new ActivityTagsCollection { [TelemetryNames.TraceShareTag] = traceShare } : null;
        var activity = ActivitySource.StartActivity("console.recommend", ActivityKind.Client, parentContext: default, tags);
        activity?.SetTag("recommender.user", user);
        activity?.SetTag("recommender.k", k);
        return activity;
    }

    /// <summary>What the answer says: its version and how many shards answered.</summary>
    public static void Answered(this Activity? activity, Recommendation answer)
    {
        activity?.SetTag("recommender.model_version", answer.ModelVersion);
        activity?.SetTag("recommender.coverage", $"{answer.ShardsAnswered}/{answer.ShardCount}");
    }

    public static void Failed(this Activity? activity, Exception e) => activity?.SetStatus(ActivityStatusCode.Error, e.Message);
}
