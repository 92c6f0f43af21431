namespace MovieRecommender.Grains.Search;

/// <summary>
/// How patient a fan-out over the candidate shards is (<see cref="ShardFanOut"/>); configuration section
/// <c>Serving:FanOut</c>.
/// </summary>
public sealed class ShardFanOutOptions
{
    public const string Section = "Serving:FanOut";

    /// <summary>How long one shard call may take before it counts as failed (then retried once).</summary>
    public TimeSpan ShardCallTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>The pause before the one retry: a dead silo's grains move once the cluster declares it dead.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromMilliseconds(250);
}
