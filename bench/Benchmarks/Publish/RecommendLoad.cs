using System.Diagnostics;
using MovieRecommender.Grains;

namespace MovieRecommender.Benchmarks.Publish;

/// <summary>What the background callers saw: requests, failures (any exception), latency and the versions that answered.</summary>
public sealed record LoadReport(
    long Requests,
    long Failures,
    double Seconds,
    double P50Ms,
    double P99Ms,
    double MaxMs,
    IReadOnlyDictionary<string, long> Versions,
    IReadOnlyDictionary<string, long> Sources,
    IReadOnlyList<string> FailureExamples,
    IReadOnlyDictionary<string, VersionLatency> LatencyByVersion);

/// <summary>Latency percentiles of the calls one version answered.</summary>
public sealed record VersionLatency(long Calls, double P50Ms, double P99Ms, double MaxMs);

/// <summary>
/// A few concurrent callers asking <see cref="IUserGrain.Recommend"/> for random known users in a loop until stopped.
/// Every exception counts as a failure (and the caller goes on); latencies are kept for percentiles.
/// </summary>
public sealed class RecommendLoad(IGrainFactory grains, IReadOnlyList<string> userIds, int callers, int k, int seed)
{
    private readonly object _gate = new();
    private readonly Dictionary<string, long> _versions = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _sources = new(StringComparer.Ordinal);
    private readonly List<string> _failureExamples = [];
    private readonly List<double> _latenciesMs = [];
    private readonly Dictionary<string, List<double>> _latenciesByVersion = new(StringComparer.Ordinal);
    private long _requests;
    private long _failures;

    public long Requests => Interlocked.Read(ref _requests);
    public long Failures => Interlocked.Read(ref _failures);

    /// <summary>Runs until <paramref name="stop"/> is cancelled; never throws for a failed call.</summary>
    public async Task<LoadReport> RunAsync(CancellationToken stop)
    {
        var watch = Stopwatch.StartNew();
        var tasks = Enumerable.Range(0, callers).Select(i => Task.Run(() => CallerAsync(new Random(seed + i), stop), CancellationToken.None)).ToArray();
        await Task.WhenAll(tasks);
        var seconds = watch.Elapsed.TotalSeconds;
        lock (_gate)
        {
            var sorted = _latenciesMs.Order().ToArray();
            return new LoadReport(_requests, _failures, seconds,
                Percentile(sorted, 0.50), Percentile(sorted, 0.99), sorted.Length > 0 ? sorted[^1] : 0,
                new Dictionary<string, long>(_versions), new Dictionary<string, long>(_sources), [.. _failureExamples],
                _latenciesByVersion.ToDictionary(p => p.Key, p =>
                {
                    var ms = p.Value.Order().ToArray();
                    return new VersionLatency(ms.Length, Percentile(ms, 0.50), Percentile(ms, 0.99), ms.Length > 0 ? ms[^1] : 0);
                }, StringComparer.Ordinal));
        }
    }

    private async Task CallerAsync(Random random, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            var user = userIds[random.Next(userIds.Count)];
            var started = Stopwatch.GetTimestamp();
            try
            {
                var recommendation = await grains.GetGrain<IUserGrain>(user).Recommend(k);
                var ms = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                lock (_gate)
                {
                    _requests++;
                    _latenciesMs.Add(ms);
                    _versions[recommendation.ModelVersion] = _versions.GetValueOrDefault(recommendation.ModelVersion) + 1;
                    if (!_latenciesByVersion.TryGetValue(recommendation.ModelVersion, out var list))
                        _latenciesByVersion[recommendation.ModelVersion] = list = [];
                    list.Add(ms);
                    var source = recommendation.Source.ToString();
                    _sources[source] = _sources.GetValueOrDefault(source) + 1;
                    if (recommendation.Movies.Length != k && _failureExamples.Count < 10)
                        _failureExamples.Add($"user {user}: {recommendation.Movies.Length} movies instead of {k} (counted as a request, not a failure)");
                }
            }
            catch (Exception e)
            {
                lock (_gate)
                {
                    _requests++;
                    _failures++;
                    if (_failureExamples.Count < 10)
                        _failureExamples.Add($"user {user} after {Stopwatch.GetElapsedTime(started).TotalMilliseconds:F0} ms: {e.GetType().Name}: {FirstLine(e.Message)}");
                }
            }
        }
    }

    private static string FirstLine(string text)
    {
        var line = text.Split('\n')[0].Trim();
        return line.Length > 300 ? line[..300] + " ..." : line;
    }

    private static double Percentile(double[] sorted, double p) =>
        sorted.Length == 0 ? 0 : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];
}
