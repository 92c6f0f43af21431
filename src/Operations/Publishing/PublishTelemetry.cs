using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace MovieRecommender.Operations.Publishing;

/// <summary>
/// A publish's trace (<c>publish</c> → verify, the chunks pushed per shard, seals with their index build, activation)
/// and its metrics: rows pushed per stage (progress) and the duration of whole publishes.
/// </summary>
public static class PublishTelemetry
{
    public const string Name = "MovieRecommender.Publish";

    public static readonly ActivitySource ActivitySource = new(Name);

    private static readonly Meter Meter = new(Name);

    public static readonly Counter<long> RowsPushed = Meter.CreateCounter<long>(
        "recommender.publish.rows", description: "Rows pushed into the cluster by publishes, by stage (movies or users) and version.");

    public static readonly Counter<long> ChunksPushed = Meter.CreateCounter<long>(
        "recommender.publish.chunks", description: "Chunks pushed into the cluster by publishes, by stage and version.");

    public static readonly Histogram<double> Duration = Meter.CreateHistogram<double>(
        "recommender.publish.duration", unit: "s", description: "Time of a whole publish, verification to activation.");
}
