using System.Diagnostics;

namespace MovieRecommender.Index;

/// <summary>
/// How an IVF index's default probe was chosen at build time, the way FAISS's auto-tuning does it but on the shard's
/// own rows: a seeded sample of rows, each plus as much random noise as its own norm
/// (<see cref="IndexOptions.CalibrationNoise"/>), serves as queries, each excluding its row, their exact top K is computed by the float32 scan, and the probe grows (1, 2, 3, 4, 6, 8, 11, ...) until the
/// mean recall@K through the rerank reaches <see cref="Target"/>. <see cref="Probe"/> is null when no probe up to
/// <see cref="MaxProbe"/> reached it.
/// </summary>
public sealed record ProbeCalibration(int Queries, int K, double Target, int MaxProbe, int? Probe, double Recall, TimeSpan Duration)
{
    public bool Reached => Probe is not null;

    /// <summary>Every probe tried and its recall, in order.</summary>
    public IReadOnlyList<(int Probe, double Recall)> Tried { get; init; } = [];

    public override string ToString() =>
        $"recall@{K} {Recall:F3} {(Reached ? $"at probe {Probe}" : $"< {Target:F2} up to probe {MaxProbe}")} on {Queries} sampled rows (target {Target:F2})";

    /// <summary>
    /// The sampled rows, each plus isotropic Gaussian noise whose norm is <paramref name="noise"/> times the row's: a
    /// user near a movie but not on it (a row alone is an easier query than a user, whose top K spreads over more lists).
    /// </summary>
    private static float[] NoisyQueries(float[] vectors, int dim, int[] sample, double noise, int seed)
    {
        var queries = new float[sample.Length * dim];
        var random = new Random(seed);
        var direction = new double[dim];
        for (var q = 0; q < sample.Length; q++)
        {
            var row = vectors.AsSpan(sample[q] * dim, dim);
            double rowNorm = 0, noiseNorm = 0;
            for (var j = 0; j < dim; j++)
            {
                rowNorm += (double)row[j] * row[j];
                direction[j] = Math.Sqrt(-2.0 * Math.Log(1.0 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
                noiseNorm += direction[j] * direction[j];
            }
            var scale = noiseNorm > 0 ? noise * Math.Sqrt(rowNorm / noiseNorm) : 0;
            for (var j = 0; j < dim; j++) queries[q * dim + j] = (float)(row[j] + scale * direction[j]);
        }
        return queries;
    }

    internal static ProbeCalibration Run(IvfIndex ivf, float[] vectors, IndexOptions options, int maxProbe)
    {
        var started = Stopwatch.GetTimestamp();
        var dim = ivf.Dimension;
        var rows = ivf.Count;
        var k = Math.Max(1, options.CalibrationK);
        var sample = KMeans.Sample(rows, Math.Max(1, options.CalibrationQueries), options.Seed + 2);
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = FlatCodeIndex.Threads(options) };
        var queries = NoisyQueries(vectors, dim, sample, options.CalibrationNoise, options.Seed + 3);
        var truth = new HashSet<int>[sample.Length];
        Parallel.For(0, sample.Length, parallel, q =>
            truth[q] = [.. FloatScan.TopK(vectors, dim, queries.AsSpan(q * dim, dim), k, [sample[q]]).Select(h => h.Id)]);
        var refine = new RefineIndex(ivf, vectors, options.Rerank);
        maxProbe = Math.Clamp(maxProbe, 1, ivf.Lists);
        var tried = new List<(int Probe, double Recall)>();
        for (var probe = 1; ; probe = Math.Min(maxProbe, Math.Max(probe + 1, (int)Math.Round(probe * 1.4))))
        {
            var found = new double[sample.Length];
            var parameters = new SearchParameters(Probe: probe);
            Parallel.For(0, sample.Length, parallel, q =>
            {
                var hits = refine.Search(queries.AsSpan(q * dim, dim), k, [sample[q]], parameters);
                found[q] = truth[q].Count == 0 ? 1 : hits.Count(h => truth[q].Contains(h.Id)) / (double)truth[q].Count;
            });
            var recall = found.Average();
            tried.Add((probe, recall));
            if (recall >= options.RecallTarget || probe >= maxProbe)
            {
                return new ProbeCalibration(sample.Length, k, options.RecallTarget, maxProbe, recall >= options.RecallTarget ? probe : null,
                    recall, Stopwatch.GetElapsedTime(started)) { Tried = tried };
            }
        }
    }
}
