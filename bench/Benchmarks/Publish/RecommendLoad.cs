using MovieRecommender.Grains;
using MovieRecommender.Operations.Load;

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
/// A few concurrent callers asking <see cref="IUserGrain.Recommend"/> for random known users in a loop until stopped: the
/// load generator's closed loop, one attempt per call. Every exception counts as a failure (and the caller goes on);
/// latencies are kept for percentiles.
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
        var generator = new LoadGenerator(grains, RequestSettings.SingleAttempt(k));
        var seconds = await generator.RunClosedLoopAsync(userIds, callers, seed, Record, stop);
        lock (_gate)
        {
            return new LoadReport(_requests, _failures, seconds, Percentiles.NearestRank(_latenciesMs, 0.50), Percentiles.NearestRank(_latenciesMs, 0.99),
                _latenciesMs.DefaultIfEmpty(0).Max(), new Dictionary<string, long>(_versions), new Dictionary<string, long>(_sources), [.. _failureExamples],
                _latenciesByVersion.ToDictionary(p => p.Key, p => new VersionLatency(p.Value.Count, Percentiles.NearestRank(p.Value, 0.50),
                    Percentiles.NearestRank(p.Value, 0.99), p.Value.Max()), StringComparer.Ordinal));
        }
    }

    private void Record(string user, RequestOutcome outcome)
    {
        lock (_gate)
        {
            _requests++;
            if (outcome.Answer is not { } recommendation)
            {
                _failures++;
                if (_failureExamples.Count < 10)
                    _failureExamples.Add($"user {user} after {outcome.LatencyMs:F0} ms: {Shorten(outcome.Error ?? "")}");
                return;
            }
            _latenciesMs.Add(outcome.LatencyMs);
            _versions[recommendation.ModelVersion] = _versions.GetValueOrDefault(recommendation.ModelVersion) + 1;
            if (!_latenciesByVersion.TryGetValue(recommendation.ModelVersion, out var list))
                _latenciesByVersion[recommendation.ModelVersion] = list = [];
            list.Add(outcome.LatencyMs);
            var source = recommendation.Source.ToString();
            _sources[source] = _sources.GetValueOrDefault(source) + 1;
            if (recommendation.Movies.Length != k && _failureExamples.Count < 10)
                _failureExamples.Add($"user {user}: {recommendation.Movies.Length} movies instead of {k} (counted as a request, not a failure)");
        }
    }

    private static string Shorten(string line)
    {
        line = line.Trim();
        return line.Length > 300 ? line[..300] + " ..." : line;
    }
}
