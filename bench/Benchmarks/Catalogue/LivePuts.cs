using System.Diagnostics;
using System.Globalization;
using MovieRecommender.Benchmarks.Publish;
using MovieRecommender.Grains;
using MovieRecommender.Operations.Load;

namespace MovieRecommender.Benchmarks.Catalogue;

/// <summary>What a run of puts gave: each put's change as the live catalogue recorded it, latencies from when it was due, failures.</summary>
public sealed record PutRun(IReadOnlyList<LiveMovie> Changes, int Asked, int Failures, string? FirstError, double P50Ms, double P99Ms, double MaxMs,
    double AchievedRps, double Seconds);

/// <summary>
/// Movies put while serving, open loop: put i (new id <c>firstId + i</c>, generated genres, year and title:
/// <see cref="GeneratedFeatures"/>) is due at i / rate seconds whatever the cluster does, at most a given number in
/// flight; its latency runs from when it was due, so queueing counts.
/// </summary>
public static class LivePuts
{
    public static async Task<PutRun> RunAsync(IGrainFactory grains, int firstId, int count, double rate, int concurrency, int timeoutMs, int seed, CancellationToken ct)
    {
        var random = new Random(seed);
        var movies = Enumerable.Range(0, count).Select(_ => GeneratedFeatures.Draw(random)).ToArray();
        var changes = new LiveMovie?[count];
        var latencies = new double[count];
        var done = new double[count];
        string? firstError = null;
        using var gate = new SemaphoreSlim(concurrency);
        var clock = Stopwatch.StartNew();

        async Task PutOne(int i, double due)
        {
            await gate.WaitAsync(ct);
            try
            {
                var id = (firstId + i).ToString(CultureInfo.InvariantCulture);
                var movie = movies[i];
                changes[i] = await ILiveCatalogueGrain.For(grains, id).Put(id, new MovieDescription(movie.Title, movie.Genres, movie.Year))
                    .WaitAsync(TimeSpan.FromMilliseconds(timeoutMs), ct);
            }
            catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
            {
                Interlocked.CompareExchange(ref firstError, $"{e.GetType().Name}: {e.Message.Split('\n')[0]}", null);
            }
            finally
            {
                gate.Release();
                done[i] = clock.Elapsed.TotalSeconds;
                latencies[i] = (done[i] - due) * 1000;
            }
        }

        var inFlight = new List<Task>(count);
        for (var i = 0; i < count; i++)
        {
            var due = i / rate;
            var wait = due - clock.Elapsed.TotalSeconds;
            if (wait > 0.001) await Task.Delay(TimeSpan.FromSeconds(wait), ct);
            inFlight.Add(PutOne(i, due));
        }
        await Task.WhenAll(inFlight);
        var succeeded = changes.OfType<LiveMovie>().ToArray();
        var ok = Enumerable.Range(0, count).Where(i => changes[i] is not null).Select(i => latencies[i]).ToArray();
        var seconds = done.DefaultIfEmpty(0).Max();
        return new PutRun(succeeded, count, count - succeeded.Length, firstError,
            Percentiles.NearestRank(ok, 0.50), Percentiles.NearestRank(ok, 0.99), ok.DefaultIfEmpty(0).Max(),
            seconds > 0 ? succeeded.Length / seconds : 0, seconds);
    }
}
