using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Configuration;

namespace MovieRecommender.Grains.Hosting;

/// <summary>
/// Keeps a shard from answering on two silos at once after a silo is declared dead. A silo cut off from its peers but
/// not from the store or the clients serves on until it reads the membership table and finds itself dead (every
/// <c>TableRefreshTimeout</c>, 1 s), while the silos that declared it dead already place its shards again: in
/// scripts/partition.sh's split-2-1 the old and the new activation of one shard both answered for 1.4 s. So a shard
/// activation that starts within <see cref="Window"/> of this silo seeing an active silo declared dead waits out the
/// rest of it first, by which time the dead silo has read the table and stopped. A silo that leaves gracefully passes
/// through ShuttingDown and moves its shards first: no wait.
/// </summary>
public sealed class TakeoverFence(IClusterMembershipService membership, IOptions<ClusterMembershipOptions> options, ILogger<TakeoverFence> logger,
    TimeProvider? time = null) : ILifecycleParticipant<ISiloLifecycle>
{
    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private readonly Dictionary<SiloAddress, SiloStatus> _seen = [];
    private readonly CancellationTokenSource _stop = new();
    private long _lastDeath = long.MinValue;

    /// <summary>The longest wait, whatever the refresh: Orleans' default refresh (60 s, where Redis mode does not set 1 s) would hold a shard two minutes.</summary>
    public static readonly TimeSpan MaxWindow = TimeSpan.FromSeconds(10);

    /// <summary>Two table refreshes (the dead silo's next read of the table, with as long again to spare), at most <see cref="MaxWindow"/>.</summary>
    public TimeSpan Window => TimeSpan.FromTicks(Math.Min(options.Value.TableRefreshTimeout.Ticks * 2, MaxWindow.Ticks));

    /// <summary>How long a shard activating now should wait before it answers; zero when no silo died lately.</summary>
    public TimeSpan Remaining
    {
        get
        {
            var last = Interlocked.Read(ref _lastDeath);
            if (last == long.MinValue) return TimeSpan.Zero;
            var left = Window - _time.GetElapsedTime(last);
            return left > TimeSpan.Zero ? left : TimeSpan.Zero;
        }
    }

    /// <summary>Takes in a membership snapshot: a silo seen active (or joining) and now dead starts the window.</summary>
    public void Observe(ClusterMembershipSnapshot snapshot)
    {
        lock (_seen)
        {
            foreach (var member in snapshot.Members.Values)
            {
                if (member.Status == SiloStatus.Dead && _seen.TryGetValue(member.SiloAddress, out var was) && was is SiloStatus.Active or SiloStatus.Joining)
                {
                    Interlocked.Exchange(ref _lastDeath, _time.GetTimestamp());
                    logger.LogWarning("Silo {Silo} was declared dead while active: shards activating here in the next {Seconds:0.#} s wait until it has read that and stopped answering",
                        member.SiloAddress, Window.TotalSeconds);
                }
                _seen[member.SiloAddress] = member.Status;
            }
        }
    }

    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(TakeoverFence), ServiceLifecycleStage.RuntimeGrainServices, started =>
        {
            _ = WatchAsync();
            return Task.CompletedTask;
        }, stopping =>
        {
            _stop.Cancel();
            return Task.CompletedTask;
        });

    private async Task WatchAsync()
    {
        try
        {
            await foreach (var snapshot in membership.MembershipUpdates.WithCancellation(_stop.Token))
                Observe(snapshot);
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
        }
        catch (Exception e)
        {
            logger.LogError(e, "Watching the cluster's membership failed: shards taking over a dead silo's no longer wait for it to stop");
        }
    }
}
