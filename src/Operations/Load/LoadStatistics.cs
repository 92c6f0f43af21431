using MovieRecommender.Grains;

namespace MovieRecommender.Operations.Load;

/// <summary>One request's outcome, timed from when it was due (open loop: queueing counts); <paramref name="Answer"/> is the last answer.</summary>
public readonly record struct RequestOutcome(
    double DueSeconds, double SentSeconds, double DoneSeconds, double LatencyMs, bool Answered, bool Partial, bool Wrong,
    bool UnknownVersion, string? Version, int Attempts, string? Error, Recommendation? Answer = null);

/// <summary>One rating's outcome, timed from when it was due.</summary>
public readonly record struct RatingOutcome(double DueSeconds, double DoneSeconds, double LatencyMs, bool Recorded, int Attempts, string? Error);

/// <summary>The ratings sent beside a load: how many, how many were not recorded after retries, latency, per second.</summary>
public sealed record RatingSummary(int Requests, int Failures, int Retries, double P50Ms, double P99Ms, double MaxMs, string[] FirstErrors, RatingBucket[] Buckets)
{
    public static RatingSummary From(IReadOnlyList<RatingOutcome> outcomes)
    {
        var latencies = outcomes.Select(o => o.LatencyMs).ToArray();
        return new RatingSummary(outcomes.Count, outcomes.Count(o => !o.Recorded), outcomes.Sum(o => Math.Max(0, o.Attempts - 1)),
            Math.Round(Percentiles.NearestRank(latencies, 0.50), 2), Math.Round(Percentiles.NearestRank(latencies, 0.99), 2),
            Math.Round(latencies.DefaultIfEmpty(0).Max(), 2),
            outcomes.Where(o => o.Error is not null).Select(o => $"t={o.DueSeconds:F1}s: {o.Error}").Take(10).ToArray(),
            outcomes.GroupBy(o => (int)Math.Floor(o.DueSeconds)).OrderBy(g => g.Key)
                .Select(g => new RatingBucket(g.Key, g.Count(), g.Count(o => !o.Recorded), Math.Round(Percentiles.NearestRank(g.Select(o => o.LatencyMs), 0.99), 2)))
                .ToArray());
    }
}

public sealed record RatingBucket(int Second, int Requests, int Failures, double P99Ms);

public sealed record Bucket(int Second, int Requests, int Failures, int Partial, int Wrong, double P50Ms, double P99Ms);

public sealed record PhaseLatency(double P50Ms, double P95Ms, double P99Ms, int Requests);

/// <summary>What the load command reports: totals, latency, versions, per-second buckets and, around a fault, recovery.</summary>
public sealed record LoadSummary
{
    public int Requests { get; init; }
    public int Succeeded { get; init; }
    public int Failures { get; init; }
    public int PartialAnswers { get; init; }
    public int WrongResults { get; init; }
    public int UnverifiedVersions { get; init; }
    public int MixedVersions { get; init; }
    public int Retries { get; init; }
    public double SuccessRate { get; init; }
    /// <summary>Open loop: the rate asked for. Closed loop: 0 (see <see cref="Callers"/>).</summary>
    public double TargetRps { get; init; }
    /// <summary>Closed loop: the callers, each asking again as soon as answered; null for the open loop.</summary>
    public int? Callers { get; init; }
    public double AchievedRps { get; init; }
    public double DurationSeconds { get; init; }
    public double P50Ms { get; init; }
    public double P90Ms { get; init; }
    public double P95Ms { get; init; }
    public double P99Ms { get; init; }
    public double MaxMs { get; init; }
    public Dictionary<string, int> Versions { get; init; } = [];
    public bool Verified { get; init; }
    public double? FaultAtSeconds { get; init; }
    public double? RecoverySeconds { get; init; }
    /// <summary>The same, counting a request that needed a retry as not ok: how long the cluster itself took.</summary>
    public double? FirstAttemptRecoverySeconds { get; init; }
    public double? P99MsBefore { get; init; }
    public double? P99MsDuring { get; init; }
    public double? P99MsAfter { get; init; }
    public PhaseLatency? Before { get; init; }
    public PhaseLatency? During { get; init; }
    public PhaseLatency? After { get; init; }
    public string[] FirstErrors { get; init; } = [];
    public Bucket[] Buckets { get; init; } = [];
    /// <summary>The ratings sent beside the load (<c>--ratings-rps</c>); null when none were.</summary>
    public RatingSummary? Ratings { get; init; }

    public static LoadSummary From(IReadOnlyList<RequestOutcome> outcomes, double targetRps, double durationSeconds, double? faultAt, bool verified, double minDuringSeconds = 5,
        int? callers = null)
    {
        static bool Ok(RequestOutcome o) => o.Answered && !o.Partial && !o.Wrong;
        var latencies = outcomes.Select(o => o.LatencyMs).ToArray();
        var buckets = outcomes.GroupBy(o => (int)Math.Floor(o.DueSeconds)).OrderBy(g => g.Key)
            .Select(g => new Bucket(g.Key, g.Count(), g.Count(o => !o.Answered || o.Partial), g.Count(o => o.Answered && o.Partial), g.Count(o => o.Wrong),
                Round(Percentiles.NearestRank(g.Select(o => o.LatencyMs), 0.50)), Round(Percentiles.NearestRank(g.Select(o => o.LatencyMs), 0.99))))
            .ToArray();

        // Versions in the order they were first answered; an answer of an older version, sent after a newer one
        // had already been answered, is a version going backwards: a mixed answer stream.
        var firstDone = outcomes.Where(o => o.Version is not null).GroupBy(o => o.Version!)
            .ToDictionary(g => g.Key, g => g.Min(o => o.DoneSeconds), StringComparer.Ordinal);
        var order = firstDone.OrderBy(p => p.Value).Select((p, i) => (p.Key, i)).ToDictionary(p => p.Key, p => p.i, StringComparer.Ordinal);
        var regressions = outcomes.Count(o => o.Version is { } v && firstDone.Any(p => order[p.Key] > order[v] && p.Value < o.SentSeconds));

        double? recovery = null, firstAttemptRecovery = null;
        PhaseLatency? before = null, during = null, after = null;
        if (faultAt is { } fault)
        {
            var lastBad = outcomes.Where(o => o.DueSeconds >= fault && !Ok(o)).Select(o => o.DueSeconds).DefaultIfEmpty(double.NaN).Max();
            recovery = double.IsNaN(lastBad) ? 0 : Math.Round(Math.Floor(lastBad) + 1 - fault, 1);
            var lastRetried = outcomes.Where(o => o.DueSeconds >= fault && (!Ok(o) || o.Attempts > 1)).Select(o => o.DueSeconds).DefaultIfEmpty(double.NaN).Max();
            firstAttemptRecovery = double.IsNaN(lastRetried) ? 0 : Math.Round(Math.Floor(lastRetried) + 1 - fault, 1);
            var duringEnd = fault + Math.Max(recovery.Value, minDuringSeconds);
            before = Phase(outcomes.Where(o => o.DueSeconds < fault));
            during = Phase(outcomes.Where(o => o.DueSeconds >= fault && o.DueSeconds < duringEnd));
            after = Phase(outcomes.Where(o => o.DueSeconds >= duringEnd));
        }

        var requests = outcomes.Count;
        var succeeded = outcomes.Count(Ok);
        return new LoadSummary
        {
            Requests = requests,
            Succeeded = succeeded,
            Failures = outcomes.Count(o => !o.Answered || o.Partial),
            PartialAnswers = outcomes.Count(o => o.Answered && o.Partial),
            WrongResults = outcomes.Count(o => o.Wrong),
            UnverifiedVersions = verified ? outcomes.Count(o => o.UnknownVersion) : 0,
            MixedVersions = regressions,
            Retries = outcomes.Sum(o => Math.Max(0, o.Attempts - 1)),
            SuccessRate = requests == 0 ? 0 : Math.Round((double)succeeded / requests, 5),
            TargetRps = targetRps,
            Callers = callers,
            AchievedRps = Math.Round(requests / Math.Max(durationSeconds, 1e-9), 1),
            DurationSeconds = durationSeconds,
            P50Ms = Round(Percentiles.NearestRank(latencies, 0.50)),
            P90Ms = Round(Percentiles.NearestRank(latencies, 0.90)),
            P95Ms = Round(Percentiles.NearestRank(latencies, 0.95)),
            P99Ms = Round(Percentiles.NearestRank(latencies, 0.99)),
            MaxMs = Round(latencies.DefaultIfEmpty(0).Max()),
            Versions = outcomes.Where(o => o.Version is not null).GroupBy(o => o.Version!).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal),
            Verified = verified,
            FaultAtSeconds = faultAt,
            RecoverySeconds = recovery,
            FirstAttemptRecoverySeconds = firstAttemptRecovery,
            P99MsBefore = before?.P99Ms,
            P99MsDuring = during?.P99Ms,
            P99MsAfter = after?.P99Ms,
            Before = before,
            During = during,
            After = after,
            FirstErrors = outcomes.Where(o => o.Error is not null).Select(o => $"t={o.DueSeconds:F1}s: {o.Error}").Take(10).ToArray(),
            Buckets = buckets,
        };
    }

    private static PhaseLatency Phase(IEnumerable<RequestOutcome> outcomes)
    {
        var latencies = outcomes.Select(o => o.LatencyMs).ToArray();
        return new PhaseLatency(Round(Percentiles.NearestRank(latencies, 0.50)), Round(Percentiles.NearestRank(latencies, 0.95)), Round(Percentiles.NearestRank(latencies, 0.99)), latencies.Length);
    }

    private static double Round(double value) => Math.Round(value, 2);
}
