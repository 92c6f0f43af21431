using System.Collections.Immutable;
using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using MovieRecommender.Grains.Hosting;
using Orleans.Configuration;

namespace MovieRecommender.Serving.Tests.Cluster;

/// <summary>
/// A shard placed again after a silo was declared dead waits until that silo has read the table and stopped: only after
/// a death (not a graceful leave), and only within two table refreshes of it.
/// </summary>
public sealed class TakeoverFenceTests
{
    private static readonly SiloAddress Here = SiloAddress.New(new IPEndPoint(IPAddress.Loopback, 11111), 1);
    private static readonly SiloAddress Other = SiloAddress.New(new IPEndPoint(IPAddress.Loopback, 11112), 1);

    [Fact]
    public void AnActiveSiloDeclaredDeadStartsTheWindowWhichThenRunsOut()
    {
        var (fence, clock) = Fence();
        fence.Observe(Snapshot(1, (Here, SiloStatus.Active), (Other, SiloStatus.Active)));
        Assert.Equal(TimeSpan.Zero, fence.Remaining);

        fence.Observe(Snapshot(2, (Here, SiloStatus.Active), (Other, SiloStatus.Dead)));
        Assert.Equal(TimeSpan.FromSeconds(4), fence.Window);
        Assert.Equal(TimeSpan.FromSeconds(4), fence.Remaining);

        clock.Advance(TimeSpan.FromSeconds(3));
        Assert.Equal(TimeSpan.FromSeconds(1), fence.Remaining);
        clock.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal(TimeSpan.Zero, fence.Remaining);
    }

    [Fact]
    public void AGracefulLeaveOrADeathSeenOnlyAsSuchStartsNoWindow()
    {
        var (fence, _) = Fence();
        // Already dead when first seen (an old entry of the table): nothing to wait for.
        fence.Observe(Snapshot(1, (Here, SiloStatus.Active), (Other, SiloStatus.Dead)));
        Assert.Equal(TimeSpan.Zero, fence.Remaining);

        var leaving = SiloAddress.New(new IPEndPoint(IPAddress.Loopback, 11113), 1);
        fence.Observe(Snapshot(2, (Here, SiloStatus.Active), (leaving, SiloStatus.Active)));
        fence.Observe(Snapshot(3, (Here, SiloStatus.Active), (leaving, SiloStatus.ShuttingDown)));
        fence.Observe(Snapshot(4, (Here, SiloStatus.Active), (leaving, SiloStatus.Dead)));
        Assert.Equal(TimeSpan.Zero, fence.Remaining);
    }

    [Fact]
    public void OrleansDefaultRefreshWaitsAtMostTheCap()
    {
        var (fence, _) = Fence(TimeSpan.FromSeconds(60));
        Assert.Equal(TakeoverFence.MaxWindow, fence.Window);
    }

    private static (TakeoverFence Fence, ManualClock Clock) Fence(TimeSpan? tableRefresh = null)
    {
        var clock = new ManualClock();
        var options = Options.Create(new ClusterMembershipOptions { TableRefreshTimeout = tableRefresh ?? TimeSpan.FromSeconds(2) });
        // Observe is fed directly here; the membership service is only read by the lifecycle's watch.
        return (new TakeoverFence(null!, options, NullLogger<TakeoverFence>.Instance, clock), clock);
    }

    private static ClusterMembershipSnapshot Snapshot(long version, params (SiloAddress Silo, SiloStatus Status)[] members) =>
        new(members.ToImmutableDictionary(m => m.Silo, m => new ClusterMember(m.Silo, m.Status, m.Silo.ToString())), new MembershipVersion(version));

    private sealed class ManualClock : TimeProvider
    {
        private long _ticks;

        public override long TimestampFrequency => TimeSpan.TicksPerSecond;

        public override long GetTimestamp() => _ticks;

        public void Advance(TimeSpan by) => _ticks += by.Ticks;
    }
}
