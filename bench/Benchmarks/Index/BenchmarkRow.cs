namespace MovieRecommender.Benchmarks.Index;

/// <summary>One method at one setting on one dataset: a row of the table and of the JSON array.</summary>
public sealed record BenchmarkRow(
    string Method,
    string Params,
    int N,
    int Dim,
    int K,
    double Recall,
    double Qps,
    double P50Ms,
    double P99Ms,
    double BuildSeconds,
    double BytesPerVector,
    double MemoryBytesPerVector,
    int Queries,
    bool ScoresExact,
    string Simd);
