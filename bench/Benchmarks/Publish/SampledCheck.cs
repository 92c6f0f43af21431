using MovieRecommender.Grains;
using MovieRecommender.Model.Artifacts;

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
/// <see cref="Model.Verification.ServingVerifier"/>'s comparison on a random sample of users, with the brute force
/// done by a bounded heap instead of sorting every movie (so it stays cheap at a million movies): the top K of
/// users.npy · items.npyᵀ in double precision, seen movies excluded, best first, the lower row on ties. Also reports
/// recall@K (the index tier of large shards is approximate; its scores are exact).
/// </summary>
public sealed class SampledCheck(IGrainFactory grains, ModelArtifact artifact, double tolerance = 1e-4)
{
    public async Task<SampleCheckReport> RunAsync(int sample, int k, int seed, CancellationToken ct)
    {
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var rowOfItem = new Dictionary<string, int>(artifact.Items.Count, StringComparer.Ordinal);
        for (var row = 0; row < artifact.Items.Count; row++) rowOfItem[artifact.Items[row].Id] = row;

        var random = new Random(seed);
        var rows = sample >= artifact.Users.Count
            ? Enumerable.Range(0, artifact.Users.Count).ToArray()
            : Enumerable.Range(0, artifact.Users.Count).OrderBy(_ => random.Next()).Take(sample).Order().ToArray();

        var expected = new (int Row, double Score)[rows.Length][];
        Parallel.For(0, rows.Length, new ParallelOptions { CancellationToken = ct },
            i => expected[i] = ExactTopK(rows[i], k, rowOfItem));

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

    /// <summary>The exact top K, like <see cref="Model.Verification.ExactRecommender.TopK"/>, with a size-K heap.</summary>
    private (int Row, double Score)[] ExactTopK(int userRow, int k, Dictionary<string, int> rowOfItem)
    {
        var excluded = artifact.Users[userRow].Seen.Select(id => rowOfItem[id]).ToHashSet();
        var query = artifact.UserEmbeddings.Row(userRow);
        // The heap's root is the worst kept: the lowest score, then the highest row.
        var heap = new PriorityQueue<int, (double Score, int Row)>(k + 1, WorstFirst.Instance);
        for (var row = 0; row < artifact.Items.Count; row++)
        {
            if (excluded.Contains(row)) continue;
            var item = artifact.ItemEmbeddings.Row(row);
            double sum = 0;
            for (var d = 0; d < query.Length; d++) sum += (double)query[d] * item[d];
            if (heap.Count < k) heap.Enqueue(row, (sum, row));
            else if (heap.TryPeek(out _, out var worst) && (sum > worst.Score || (sum == worst.Score && row < worst.Row)))
                heap.EnqueueDequeue(row, (sum, row));
        }
        var result = new (int Row, double Score)[heap.Count];
        for (var i = result.Length - 1; i >= 0; i--)
        {
            heap.TryDequeue(out var row, out var key);
            result[i] = (row, key.Score);
        }
        return result;
    }

    private sealed class WorstFirst : IComparer<(double Score, int Row)>
    {
        public static readonly WorstFirst Instance = new();

        public int Compare((double Score, int Row) x, (double Score, int Row) y)
        {
            var byScore = x.Score.CompareTo(y.Score);
            return byScore != 0 ? byScore : y.Row.CompareTo(x.Row);
        }
    }

    // ServingVerifier's rule: same version, the model's movies, scores within the tolerance position by position,
    // and the same set unless the last place is a tie.
    private (string? Problem, double MaxError, double Recall) Compare(Recommendation served, (int Row, double Score)[] expected)
    {
        var servedRows = served.Movies.Select(m => m.Row).ToHashSet();
        var recall = expected.Length == 0 ? 1 : expected.Count(e => servedRows.Contains(e.Row)) / (double)expected.Length;
        if (served.ModelVersion != artifact.Manifest.Version)
            return ($"served by version {served.ModelVersion}, not {artifact.Manifest.Version}", 0, recall);
        if (served.Source != RecommendationSource.Model)
            return ($"served {served.Source} movies, not the model's", 0, recall);
        if (served.Movies.Length != expected.Length)
            return ($"{served.Movies.Length} movies, expected {expected.Length}", 0, recall);
        double maxError = 0;
        for (var i = 0; i < expected.Length; i++)
        {
            var error = Math.Abs(served.Movies[i].Score - expected[i].Score);
            maxError = Math.Max(maxError, error);
            if (error > tolerance)
                return ($"rank {i + 1}: score {served.Movies[i].Score} (row {served.Movies[i].Row}), expected {expected[i].Score} (row {expected[i].Row})", maxError, recall);
        }
        var missing = expected.Where(e => !servedRows.Contains(e.Row) && Math.Abs(e.Score - expected[^1].Score) > tolerance).ToArray();
        return missing.Length > 0 ? ($"row {missing[0].Row} (score {missing[0].Score}) is missing", maxError, recall) : (null, maxError, recall);
    }
}
