using MovieRecommender.Artifacts;
using MovieRecommender.Grains;
using MovieRecommender.Operations.Verification;

namespace MovieRecommender.Benchmarks.Publish;

/// <summary>The outcome of checking a sample of users' served top K against brute force.</summary>
public sealed record SampleCheckReport(
    int Users,
    int Exact,
    int Mismatched,
    int Failed,
    double MeanRecall,
    double MinRecall,
    double MaxScoreError,
    double Seconds,
    IReadOnlyList<string> Examples)
{
    public bool Passed => Exact == Users;
}

/// <summary>
/// <see cref="ServingVerifier"/>'s check (<see cref="ExactRecommender"/> and <see cref="ServedAnswerRule"/>) on a
/// random sample of users, in parallel. Also reports recall@K (the index tier of large shards is approximate; its
/// scores are exact).
/// </summary>
public sealed class SampledCheck(IGrainFactory grains, ModelArtifact artifact, double tolerance = 1e-4)
{
    public async Task<SampleCheckReport> RunAsync(int sample, int k, int seed, CancellationToken ct)
    {
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var exactRecommender = new ExactRecommender(artifact);

        var random = new Random(seed);
        var rows = sample >= artifact.Users.Count
            ? Enumerable.Range(0, artifact.Users.Count).ToArray()
            : Enumerable.Range(0, artifact.Users.Count).OrderBy(_ => random.Next()).Take(sample).Order().ToArray();

        var expected = new (int Row, double Score)[rows.Length][];
        Parallel.For(0, rows.Length, new ParallelOptions { CancellationToken = ct },
            i => expected[i] = exactRecommender.TopK(rows[i], k));

        var examples = new List<string>();
        int exact = 0, mismatched = 0, failed = 0;
        double recallSum = 0, minRecall = 1, maxError = 0;
        var gate = new object();
        await Parallel.ForEachAsync(Enumerable.Range(0, rows.Length), new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = ct },
            async (i, _) =>
            {
                var user = artifact.Users[rows[i]].Id;
                string? problem;
                double error = 0, recall = 0;
                try
                {
                    var served = await grains.GetGrain<IUserGrain>(user).Recommend(k);
                    (problem, error, recall) = Compare(served, expected[i]);
                }
                catch (Exception e)
                {
                    problem = $"failed: {e.GetType().Name}: {e.Message.Split('\n')[0]}";
                }
                lock (gate)
                {
                    maxError = Math.Max(maxError, error);
                    recallSum += recall;
                    minRecall = Math.Min(minRecall, recall);
                    if (problem is null) exact++;
                    else
                    {
                        if (problem.StartsWith("failed", StringComparison.Ordinal)) failed++; else mismatched++;
                        if (examples.Count < 5) examples.Add($"user {user}: {problem}");
                    }
                }
            });
        return new SampleCheckReport(rows.Length, exact, mismatched, failed, rows.Length == 0 ? 0 : recallSum / rows.Length,
            rows.Length == 0 ? 0 : minRecall, maxError, watch.Elapsed.TotalSeconds, examples);
    }

    private (string? Problem, double MaxError, double Recall) Compare(Recommendation served, (int Row, double Score)[] expected)
    {
        var servedRows = served.Movies.Select(m => m.Row).ToHashSet();
        var recall = expected.Length == 0 ? 1 : expected.Count(e => servedRows.Contains(e.Row)) / (double)expected.Length;
        if (served.ModelVersion != artifact.Manifest.Version)
            return ($"served by version {served.ModelVersion}, not {artifact.Manifest.Version}", 0, recall);
        var (problem, maxError) = ServedAnswerRule.Check(served, expected, tolerance);
        return (problem, maxError, recall);
    }
}
