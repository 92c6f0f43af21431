namespace MovieRecommender.Benchmarks.Ratings;

/// <summary>
/// One window of the measured load, as ratings-driver.js printed it: when it started (seconds after the warm-up) and
/// how long it lasted, the answers in it (2xx: acknowledged ratings; non-2xx; transport errors, timeouts among them),
/// their latencies, and the ratings acknowledged so far, the warm-up's included.
/// </summary>
public sealed record RatingsWindow(
    int Index,
    double StartSeconds,
    double Seconds,
    long Acknowledged,
    long Non2xx,
    long Errors,
    long Timeouts,
    double? P50Ms,
    double? P99Ms,
    double? MaxMs,
    long AcknowledgedSoFar)
{
    public double EndSeconds => StartSeconds + Seconds;

    public double RatePerSecond => Seconds > 0 ? Acknowledged / Seconds : 0;
}
