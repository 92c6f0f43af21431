using System.Diagnostics;
using MovieRecommender.Grains;
using MovieRecommender.ServiceDefaults;

namespace MovieRecommender.Operations;

/// <summary>
/// The console's spans: each recommendation it asks for is the root of one trace (<c>console.recommend</c>), which
/// Orleans carries into the user grain and on to every shard.
/// </summary>
public static class RecommendationTracing
{
    public static readonly ActivitySource ActivitySource = new("MovieRecommender.Client");

    /// <summary>A root span for one recommendation; <paramref name="traceShare"/> below 1 keeps only that share of such traces.</summary>
    public static Activity? StartRecommend(string user, int k, double traceShare = 1)
    {
        var tags = traceShare < 1 ? new ActivityTagsCollection { [TelemetryNames.TraceShareTag] = traceShare } : null;
        var activity = ActivitySource.StartActivity("console.recommend", ActivityKind.Client, parentContext: default, tags);
        activity?.SetTag(TelemetryNames.UserTag, user);
        activity?.SetTag("recommender.k", k);
        // A sampled-out root gets no Orleans call span (its children are not even created), so Orleans would carry
        // no trace context and the silo would start a trace of its own for the request. Carry the decision
        // ourselves: the silo then sees a parent that is not sampled and records nothing either. The caller must
        // be an async method, so the request context it sets ends with it.
        if (activity is { Recorded: false })
            DistributedContextPropagator.Current.Inject(activity, null, static (_, key, value) => RequestContext.Set(key, value!));
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
