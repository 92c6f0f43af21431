using System.Diagnostics;
using MovieRecommender.Operations.Publishing;

namespace MovieRecommender.Benchmarks.Publish;

/// <summary>
/// Collects <see cref="PublishProgress"/> from the publisher's concurrent pushes (thread-safe) and notes when each
/// stage first and last moved, on one stopwatch started with the push.
/// </summary>
public sealed class PublishProgressTracker : IProgress<PublishProgress>
{
    private readonly Stopwatch _watch = Stopwatch.StartNew();
    private long _moviesDone, _moviesTotal, _usersDone, _usersTotal;
    private long _moviesPushedTicks = -1, _usersFirstTicks = -1, _usersPushedTicks = -1;

    public long MoviesDone => Interlocked.Read(ref _moviesDone);
    public long MoviesTotal => Interlocked.Read(ref _moviesTotal);
    public long UsersDone => Interlocked.Read(ref _usersDone);
    public long UsersTotal => Interlocked.Read(ref _usersTotal);

    /// <summary>Seconds from the start until every movie chunk was pushed (not yet sealed).</summary>
    public double? MoviesPushedSeconds => Seconds(ref _moviesPushedTicks);

    /// <summary>Seconds until the first user chunk arrived: every movie shard was sealed by then.</summary>
    public double? UsersStartedSeconds => Seconds(ref _usersFirstTicks);

    /// <summary>Seconds until every user chunk was pushed (not yet sealed).</summary>
    public double? UsersPushedSeconds => Seconds(ref _usersPushedTicks);

    public void Report(PublishProgress value)
    {
        var now = _watch.ElapsedTicks;
        switch (value.Stage)
        {
            case "movies":
                Interlocked.Exchange(ref _moviesTotal, value.Total);
                Max(ref _moviesDone, value.Done);
                if (value.Done >= value.Total) Interlocked.CompareExchange(ref _moviesPushedTicks, now, -1);
                break;
            case "users":
                Interlocked.Exchange(ref _usersTotal, value.Total);
                Interlocked.CompareExchange(ref _usersFirstTicks, now, -1);
                Max(ref _usersDone, value.Done);
                if (value.Done >= value.Total) Interlocked.CompareExchange(ref _usersPushedTicks, now, -1);
                break;
        }
    }

    private static void Max(ref long field, long value)
    {
        var current = Interlocked.Read(ref field);
        while (value > current)
        {
            var seen = Interlocked.CompareExchange(ref field, value, current);
            if (seen == current) return;
            current = seen;
        }
    }

    private static double? Seconds(ref long ticks)
    {
        var value = Interlocked.Read(ref ticks);
        return value < 0 ? null : value / (double)Stopwatch.Frequency;
    }
}
