namespace MovieRecommender.Benchmarks.Ratings;

/// <summary>
/// The whole load as ratings-driver.js ended it: the warm-up's answers, the measured run's totals and latency
/// percentiles over every answer, its windows, and whether it stopped at the time limit before --ratings.
/// </summary>
public sealed record RatingsLoadResult(
    long Posted,
    long WarmupAcknowledged,
    long WarmupFailed,
    double WarmupSeconds,
    long Acknowledged,
    long Non2xx,
    long Errors,
    long Timeouts,
    double Seconds,
    double? P50Ms,
    double? P90Ms,
    double? P99Ms,
    double? MaxMs,
    bool StoppedShort,
    string? FirstError,
    IReadOnlyDictionary<string, long> StatusCodes,
    IReadOnlyList<RatingsWindow> Windows,
    double? SiloCpuSeconds)
{
    /// <summary>Ratings the silo acknowledged in all, the warm-up's included: what the log should hold.</summary>
    public long AcknowledgedInAll => WarmupAcknowledged + Acknowledged;

    public long Failed => Non2xx + Errors;

    /// <summary>The measured run's rate: ratings acknowledged a second after the warm-up, start to end.</summary>
    public double RatePerSecond => Seconds > 0 ? Acknowledged / Seconds : 0;
}
