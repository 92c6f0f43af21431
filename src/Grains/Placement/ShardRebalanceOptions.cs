using Microsoft.Extensions.Options;

namespace MovieRecommender.Grains.Placement;

/// <summary>
/// Whether each candidate shard checks, every <see cref="Interval"/>, if the active silos changed so that it now
/// belongs on another one (<see cref="ShardSpreadPlacementDirector.PreferredSilo"/>), and then migrates there when
/// idle. Off by default: a single silo never needs it; cluster mode turns it on, every <c>Cluster:RebalanceInterval</c>.
/// </summary>
public sealed class ShardRebalanceOptions
{
    public bool Enabled { get; set; }

    public TimeSpan Interval { get; set; } = TimeSpan.FromSeconds(10);
}

/// <summary>Checks <see cref="ShardRebalanceOptions"/> when the silo starts.</summary>
public sealed class ShardRebalanceOptionsValidator : IValidateOptions<ShardRebalanceOptions>
{
    public ValidateOptionsResult Validate(string? name, ShardRebalanceOptions o) =>
        o.Enabled && o.Interval <= TimeSpan.Zero
            ? ValidateOptionsResult.Fail($"Cluster:RebalanceInterval is {o.Interval}: expected a positive duration such as 00:00:10.")
            : ValidateOptionsResult.Success;
}
