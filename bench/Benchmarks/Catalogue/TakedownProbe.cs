using System.Diagnostics;
using MovieRecommender.Grains;

namespace MovieRecommender.Benchmarks.Catalogue;

/// <summary>A movie in a user's answer, to take down and watch leave it.</summary>
public sealed record TakedownTarget(string MovieId, int Row, bool PutLive, string UserId);

/// <summary>
/// One takedown: the call's own latency, then how long from its return until the first answer for the user (from the
/// silo) without the movie arrived (<see cref="ReachMs"/>; null when it never left within the patience), and how many
/// answers after the return still held it (<see cref="StaleAnswers"/>; the live catalogue promises none).
/// </summary>
public sealed record TakedownResult(TakedownTarget Target, double CallMs, double? ReachMs, int StaleAnswers, string? Error);

public static class TakedownProbe
{
    public static async Task<TakedownResult> RunAsync(IGrainFactory grains, TakedownTarget target, int k, TimeSpan patience)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            if (!await ILiveCatalogueGrain.For(grains, target.MovieId).TakeDown(target.MovieId))
                return new TakedownResult(target, Stopwatch.GetElapsedTime(started).TotalMilliseconds, null, 0, "no version nor the live catalogue knows the movie");
            var returned = Stopwatch.GetTimestamp();
            var callMs = Stopwatch.GetElapsedTime(started, returned).TotalMilliseconds;
            var stale = 0;
            while (Stopwatch.GetElapsedTime(returned) < patience)
            {
                var answer = await grains.GetGrain<IUserGrain>(target.UserId).Recommend(k);
                if (!answer.Movies.Any(m => m.Id == target.MovieId)) return new TakedownResult(target, callMs, Stopwatch.GetElapsedTime(returned).TotalMilliseconds, stale, null);
                stale++;
            }
            return new TakedownResult(target, callMs, null, stale, $"still answered after {patience.TotalSeconds:F0} s");
        }
        catch (Exception e)
        {
            return new TakedownResult(target, Stopwatch.GetElapsedTime(started).TotalMilliseconds, null, 0, $"{e.GetType().Name}: {e.Message.Split('\n')[0]}");
        }
    }
}
