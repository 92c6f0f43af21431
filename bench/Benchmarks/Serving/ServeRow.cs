using System.Text.Json.Nodes;

namespace MovieRecommender.Benchmarks.Serving;

/// <summary>One index setting at one request rate: a row of the table, of the JSON and a point of the plot.</summary>
public sealed record ServeRow(
    string Index,
    string? ResolvedSpec,
    string ShardTiers,
    int Movies,
    int Users,
    int Dim,
    int Shards,
    string Phase,
    double TargetRps,
    double Rps,
    long Requests,
    double P50Ms,
    double P95Ms,
    double P99Ms,
    double MaxMs,
    long Failures,
    double? RecallAt10,
    double? RecallMin,
    int RecallAnswers,
    double? SiloCpuMsPerRecommendation,
    double? SiloCpuMsPerRecommendationNetOfIdle,
    double? InProcessCpuMsPerRecommendation,
    double? SiloRssMb,
    bool Sustained,
    string? Miss,
    double? LoadAverage,
    string StartedUtc)
{
    /// <summary>Silo CPU per recommendation over the same search in process (the target: at most 2).</summary>
    public double? CpuRatio => SiloCpuMsPerRecommendation is { } s && InProcessCpuMsPerRecommendation is { } p && p > 0 ? s / p : null;

    /// <summary>The same with the silo's idle CPU (timers, membership, GC at rest) over the step taken out first.</summary>
    public double? CpuRatioNetOfIdle => SiloCpuMsPerRecommendationNetOfIdle is { } s && InProcessCpuMsPerRecommendation is { } p && p > 0 ? s / p : null;

    public JsonObject ToJson() => new()
    {
        ["index"] = Index,
        ["resolvedSpec"] = ResolvedSpec,
        ["shardTiers"] = ShardTiers,
        ["movies"] = Movies,
        ["users"] = Users,
        ["dim"] = Dim,
        ["shards"] = Shards,
        ["phase"] = Phase,
        ["targetRps"] = TargetRps,
        ["rps"] = Math.Round(Rps, 1),
        ["requests"] = Requests,
        ["p50Ms"] = Math.Round(P50Ms, 2),
        ["p95Ms"] = Math.Round(P95Ms, 2),
        ["p99Ms"] = Math.Round(P99Ms, 2),
        ["maxMs"] = Math.Round(MaxMs, 2),
        ["failures"] = Failures,
        ["recallAt10"] = R(RecallAt10, 4),
        ["recallAt10Min"] = R(RecallMin, 2),
        ["recallAnswers"] = RecallAnswers,
        ["siloCpuMsPerRecommendation"] = R(SiloCpuMsPerRecommendation, 4),
        ["siloCpuMsPerRecommendationNetOfIdle"] = R(SiloCpuMsPerRecommendationNetOfIdle, 4),
        ["inProcessCpuMsPerRecommendation"] = R(InProcessCpuMsPerRecommendation, 4),
        ["cpuRatioSiloOverInProcess"] = R(CpuRatio, 2),
        ["cpuRatioNetOfIdle"] = R(CpuRatioNetOfIdle, 2),
        ["siloRssMb"] = R(SiloRssMb, 0),
        ["sustained"] = Sustained,
        ["miss"] = Miss,
        ["loadAverageBefore"] = LoadAverage,
        ["startedUtc"] = StartedUtc,
    };

    private static double? R(double? value, int digits) => value is { } v ? Math.Round(v, digits) : null;
}
