using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace MovieRecommender.Grains.Telemetry;

/// <summary>
/// The silo's own traces and metrics; hosts subscribe to <see cref="Name"/> for both. Tags: <c>version</c> (model
/// version), <c>tier</c> (index tier of a shard), <c>source</c> (model, ratings or popular), <c>shard</c>.
/// </summary>
public static class RecommenderTelemetry
{
    public const string Name = "MovieRecommender";

    public static readonly ActivitySource ActivitySource = new(Name);

    private static readonly Meter Meter = new(Name);

    // Milliseconds, fine below 10 ms where a healthy recommendation lives (before the instruments that use them).
    private static readonly InstrumentAdvice<double> LatencyBuckets = new()
    {
        HistogramBucketBoundaries = [0.25, 0.5, 1, 2, 3, 5, 7.5, 10, 15, 25, 50, 75, 100, 250, 500, 1000, 2500, 5000],
    };

    /// <summary>Time to serve one recommendation inside the cluster (registry, profile, fan-out and merge).</summary>
    public static readonly Histogram<double> RecommendDuration = Meter.CreateHistogram<double>(
        "recommender.recommend.duration", unit: "ms", description: "Time to serve one recommendation in the user grain.",
        advice: LatencyBuckets);

    /// <summary>Time of one shard search, as the shard measures it.</summary>
    public static readonly Histogram<double> ShardSearchDuration = Meter.CreateHistogram<double>(
        "recommender.shard.search.duration", unit: "ms", description: "Time of one candidate-shard search, by index tier.",
        advice: LatencyBuckets);

    public static readonly Counter<long> Recommendations = Meter.CreateCounter<long>(
        "recommender.recommendations", description: "Recommendations served, by source (model, ratings or popular) and version.");

    /// <summary>Shard calls that failed or timed out and were tried again.</summary>
    public static readonly Counter<long> ShardRetries = Meter.CreateCounter<long>(
        "recommender.shard.retries", description: "Shard calls retried after a failure or a timeout.");

    /// <summary>Answers missing at least one shard (their coverage says so).</summary>
    public static readonly Counter<long> PartialAnswers = Meter.CreateCounter<long>(
        "recommender.partial_answers", description: "Recommendations answered without every shard.");

    /// <summary>A user grain found its profile for the active version in memory (hit) or read it from its user shard (miss).</summary>
    public static readonly Counter<long> ProfileCache = Meter.CreateCounter<long>(
        "recommender.user.profile_cache", description: "User-grain profile lookups, by result (hit or miss).");

    public static readonly Counter<long> RatingsRecorded = Meter.CreateCounter<long>(
        "recommender.ratings", description: "Ratings recorded.");

    /// <summary>Time to build a shard's index (after a publish's seal, a restart's reload or a move).</summary>
    public static readonly Histogram<double> IndexBuildDuration = Meter.CreateHistogram<double>(
        "recommender.index.build.duration", unit: "ms", description: "Time to build one shard's index, by index kind (tier).");

    /// <summary>Overlap of a served top K with the exact top K of the same request (1: nothing lost), by version and index kind (label tier).</summary>
    public static readonly Histogram<double> ServedRecall = Meter.CreateHistogram<double>(
        "recommender.served_recall", description: "Recall@K of served recommendations against an exact re-run, by version and index tier.",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.5, 0.8, 0.9, 0.95, 0.98, 0.99, 0.999, 1.0] });

    /// <summary>What the served-recall checks cost: one exact fan-out each.</summary>
    public static readonly Histogram<double> ServedRecallCheckDuration = Meter.CreateHistogram<double>(
        "recommender.served_recall.check.duration", unit: "ms", description: "Time of one exact re-run for served recall.",
        advice: LatencyBuckets);

    /// <summary>Checks chosen but not run because enough were already running (the cost stays bounded).</summary>
    public static readonly Counter<long> ServedRecallSkipped = Meter.CreateCounter<long>(
        "recommender.served_recall.skipped", description: "Served-recall checks skipped because the silo's limit of running checks was reached.");

    static RecommenderTelemetry()
    {
        Meter.CreateObservableGauge("recommender.shard.rows", () => ServingState.ShardRows(),
            description: "Movies held by each loaded candidate shard on this silo, by version, shard and index tier.");
        Meter.CreateObservableGauge("recommender.model.active", () => ServingState.ActiveVersion(),
            description: "1 for the model version this silo's user grains serve (tag version).");
    }

    /// <summary>Touch to make sure the observable instruments exist (they are created once, with the class).</summary>
    public static void EnsureCreated() { }
}
