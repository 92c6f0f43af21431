using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace MovieRecommender.Grains.Telemetry;

/// <summary>The product's own traces and metrics; hosts subscribe to <see cref="Name"/> for both.</summary>
public static class RecommenderTelemetry
{
    public const string Name = "MovieRecommender";

    public static readonly ActivitySource ActivitySource = new(Name);

    private static readonly Meter Meter = new(Name);

    /// <summary>Time to serve one recommendation inside the cluster (registry, profile, fan-out and merge).</summary>
    public static readonly Histogram<double> RecommendDuration = Meter.CreateHistogram<double>(
        "recommender.recommend.duration", unit: "ms", description: "Time to serve one recommendation in the user grain.");

    /// <summary>Time of one shard search, as the shard measures it.</summary>
    public static readonly Histogram<double> ShardSearchDuration = Meter.CreateHistogram<double>(
        "recommender.shard.search.duration", unit: "ms", description: "Time of one candidate-shard search.");

    public static readonly Counter<long> Recommendations = Meter.CreateCounter<long>(
        "recommender.recommendations", description: "Recommendations served, by source (model or popular).");

    /// <summary>Shard calls that failed or timed out and were tried again.</summary>
    public static readonly Counter<long> ShardRetries = Meter.CreateCounter<long>(
        "recommender.shard.retries", description: "Shard calls retried after a failure or a timeout.");

    /// <summary>Answers missing at least one shard (their coverage says so).</summary>
    public static readonly Counter<long> PartialAnswers = Meter.CreateCounter<long>(
        "recommender.partial_answers", description: "Recommendations answered without every shard.");
}
