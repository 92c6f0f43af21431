using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace MovieRecommender.Grains.Hosting;

/// <summary>
/// How a silo leaves (configuration section <c>Serving:Shutdown</c>): on SIGTERM (or a host stop) it first
/// <em>drains</em> for <see cref="DrainDelay"/>: <c>/readyz</c> answers 503 from the first moment, requests under way and
/// new ones are still served, and its shards move to the other silos; only then does Orleans stop (the silo's
/// activations deactivate and it leaves membership, ShuttingDown then Dead).
/// </summary>
public sealed class SiloShutdownOptions
{
    public const string Section = "Serving:Shutdown";

    /// <summary>The default drain of a silo in a cluster: load balancers see the 503 and the shards move.</summary>
    public static readonly TimeSpan ClusterDrainDelay = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How long the silo drains before Orleans stops (<c>Serving:Shutdown:DrainDelay</c>). Unset: 5 s in cluster
    /// mode, 0 for the embedded default's single silo (nobody else could take its traffic).
    /// </summary>
    public TimeSpan? DrainDelay { get; set; }

    /// <summary>Move this silo's shards to the other silos while draining (<c>Serving:Shutdown:MoveShards</c>).</summary>
    public bool MoveShards { get; set; } = true;

    /// <summary>How long Orleans' own stop may take after the drain (<c>Serving:Shutdown:StopTimeout</c>); the host's
    /// shutdown timeout is the drain plus this.</summary>
    public TimeSpan StopTimeout { get; set; } = TimeSpan.FromSeconds(30);

    public TimeSpan EffectiveDrainDelay => DrainDelay ?? TimeSpan.Zero;
}

/// <summary>Checks <see cref="SiloShutdownOptions"/> when the silo starts; the fault names its key.</summary>
public sealed class SiloShutdownOptionsValidator : IValidateOptions<SiloShutdownOptions>
{
    public ValidateOptionsResult Validate(string? name, SiloShutdownOptions o)
    {
        if (o.DrainDelay is { } drain && (drain < TimeSpan.Zero || drain > TimeSpan.FromMinutes(10)))
            return ValidateOptionsResult.Fail($"{SiloShutdownOptions.Section}:DrainDelay is {drain}: expected 0 to 10 minutes, such as 00:00:05.");
        if (o.StopTimeout <= TimeSpan.Zero)
            return ValidateOptionsResult.Fail($"{SiloShutdownOptions.Section}:StopTimeout is {o.StopTimeout}: expected a positive duration such as 00:00:30.");
        return ValidateOptionsResult.Success;
    }
}

/// <summary>
/// Whether this silo is draining (<see cref="SiloShutdownOptions"/>), and which shard activations it holds: read by
/// <c>/readyz</c> (503 while draining), by <see cref="Placement.ShardSpreadPlacementDirector"/> (a draining silo places
/// no shard on itself) and by the drain, which moves the shards away.
/// </summary>
public sealed class SiloDrain
{
    private readonly ConcurrentDictionary<string, ShardKind> _shards = new(StringComparer.Ordinal);
    private long _sinceTicks;

    public enum ShardKind { Candidate, User }

    /// <summary>True from the moment the silo was told to stop.</summary>
    public bool IsDraining => Interlocked.Read(ref _sinceTicks) != 0;

    /// <summary>When draining began (null: it has not).</summary>
    public DateTimeOffset? Since => Interlocked.Read(ref _sinceTicks) is var ticks and not 0 ? new DateTimeOffset(ticks, TimeSpan.Zero) : null;

    /// <summary>Starts draining; true the first time only.</summary>
    public bool Begin() => Interlocked.CompareExchange(ref _sinceTicks, DateTimeOffset.UtcNow.UtcTicks, 0) == 0;

    public void ShardActivated(ShardKind kind, string key) => _shards[key + "|" + kind] = kind;

    public void ShardDeactivated(ShardKind kind, string key) => _shards.TryRemove(key + "|" + kind, out _);

    /// <summary>The shard activations on this silo now.</summary>
    public IReadOnlyList<(ShardKind Kind, string Key)> LocalShards() =>
        _shards.Select(p => (p.Value, p.Key[..p.Key.LastIndexOf('|')])).ToArray();
}
