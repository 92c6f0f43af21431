namespace MovieRecommender.Benchmarks.Http;

/// <summary>
/// One run of one door at one concurrency (autocannon connections, or the load generator's callers, each asking
/// again as soon as answered): what the load tool reported, and whether it counts as sustained (nothing failed, p99
/// under the bar).
/// </summary>
public sealed record HttpLoadRun(
    string Door,
    string Catalogue,
    int Concurrency,
    int Attempt,
    bool Sustained,
    string? Miss,
    double? AchievedRps,
    long Requests,
    long Failures,
    double? P50Ms,
    double? P90Ms,
    double? P99Ms,
    double? MaxMs,
    double? SiloCpuMsPerRequest,
    double? LoadAverage)
{
    /// <summary>The HTTP door: autocannon against the silo's Kestrel.</summary>
    public const string HttpDoor = "http";

    /// <summary>The Orleans door: the console's load generator holding an Orleans client.</summary>
    public const string OrleansDoor = "orleans";
}
