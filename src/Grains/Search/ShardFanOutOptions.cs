using Microsoft.Extensions.Options;

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

/// <summary>Checks <see cref="ShardFanOutOptions"/> when the silo starts; each fault names its key.</summary>
public sealed class ShardFanOutOptionsValidator : IValidateOptions<ShardFanOutOptions>
{
    public ValidateOptionsResult Validate(string? name, ShardFanOutOptions o)
    {
        const string s = ShardFanOutOptions.Section;
        if (o.ShardCallTimeout <= TimeSpan.Zero)
            return ValidateOptionsResult.Fail($"{s}:ShardCallTimeout is {o.ShardCallTimeout}: expected a positive duration such as 00:00:02.");
        if (o.RetryDelay < TimeSpan.Zero)
            return ValidateOptionsResult.Fail($"{s}:RetryDelay is {o.RetryDelay}: expected a duration of 0 or more, such as 00:00:00.250.");
        return ValidateOptionsResult.Success;
    }
}
