using System.Diagnostics;
using Microsoft.Extensions.Logging;

namespace MovieRecommender.Grains.Hosting;

/// <summary>
/// Gives the memory a load used back to the OS once the load is over. Loading a version's partitions (a publish, or a
/// reload after a restart or a move) leaves gigabytes of garbage on the large object heap: the pushed chunks, the
/// partition serialized for the store, the index build's residuals and codes. Only a full GC frees them, one may not
/// come for a long time under steady load, and the GC keeps what it freed committed: at 1M movies and 1M users a
/// silo's RSS stayed at 2.5 GB over a live heap of 1.0 GB (issue 26). One compacting, decommitting full GC, a few
/// seconds after the last shard of a burst finished loading, returns it. It pauses the silo once per load, for a time
/// the log line states.
/// </summary>
public sealed class MemoryAfterLoad : IDisposable
{
    /// <summary>How long after the last shard finished loading the collection runs: a publish finishes its shards within seconds of each other.</summary>
    public static readonly TimeSpan Quiet = TimeSpan.FromSeconds(3);

    private readonly ILogger<MemoryAfterLoad> _logger;
    private readonly Timer _timer;

    public MemoryAfterLoad(ILogger<MemoryAfterLoad> logger)
    {
        _logger = logger;
        _timer = new Timer(_ => Reclaim(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    /// <summary>A shard finished loading (its rows written to the store, its index installed): collect once the burst is over.</summary>
    public void LoadFinished() => _timer.Change(Quiet, Timeout.InfiniteTimeSpan);

    private void Reclaim()
    {
        var before = Environment.WorkingSet;
        var started = Stopwatch.GetTimestamp();
        GC.Collect(2, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        _logger.LogInformation("Collected after loading shards in {Milliseconds:F0} ms: working set {Before:F0} MB -> {After:F0} MB, heap {Heap:F0} MB",
            Stopwatch.GetElapsedTime(started).TotalMilliseconds, before / 1e6, Environment.WorkingSet / 1e6, GC.GetTotalMemory(false) / 1e6);
    }

    public void Dispose() => _timer.Dispose();
}
