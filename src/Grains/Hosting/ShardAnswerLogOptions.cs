using Microsoft.Extensions.Options;

namespace MovieRecommender.Grains.Hosting;

/// <summary>
/// Whether candidate shards log which activation answered when (configuration section <c>Serving:Shards</c>). Off by
/// default; the partition harness (scripts/partition.sh) turns it on to tell whether two activations of one shard
/// ever answered at once.
/// </summary>
public sealed class ShardAnswerLogOptions
{
    public const string Section = "Serving:Shards";

    /// <summary>How often each shard activation logs its first and last answer since the last line; zero: never.</summary>
    public TimeSpan AnswerLogInterval { get; set; } = TimeSpan.Zero;
}

/// <summary>Checks <see cref="ShardAnswerLogOptions"/> when the silo starts; the fault names its key.</summary>
public sealed class ShardAnswerLogOptionsValidator : IValidateOptions<ShardAnswerLogOptions>
{
    public ValidateOptionsResult Validate(string? name, ShardAnswerLogOptions o) =>
        o.AnswerLogInterval == TimeSpan.Zero || o.AnswerLogInterval >= TimeSpan.FromMilliseconds(100)
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail($"{ShardAnswerLogOptions.Section}:AnswerLogInterval is {o.AnswerLogInterval}: expected 0 (off) or at least 100 ms, such as 00:00:01.");
}
