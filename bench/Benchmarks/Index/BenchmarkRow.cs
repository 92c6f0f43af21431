namespace MovieRecommender.Benchmarks.Index;

/// <summary>
/// One method at one setting on one dataset: a row of the table and of the JSON array. <see cref="Qps"/>: queries per
/// wall-clock second; <see cref="CpuQps"/>: per second of the query thread's CPU time (what speed-ups are computed
/// from: it does not count waiting for a core on a shared machine).
/// </summary>
public sealed record BenchmarkRow(
    string Method,
    string Params,
    int N,
    int Dim,
    int K,
    double Recall,
    double Qps,
    double CpuQps,
    double P50Ms,
    double P99Ms,
    double BuildSeconds,
    double BytesPerVector,
    double MemoryBytesPerVector,
    int Queries,
    bool ScoresExact,
    string Simd);
