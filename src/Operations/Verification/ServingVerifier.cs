using MovieRecommender.Artifacts;
using MovieRecommender.Grains;

namespace MovieRecommender.Operations.Verification;

/// <summary>The outcome of checking every user's served top K against <see cref="ExactRecommender"/>.</summary>
public sealed record VerificationReport(int Users, int Exact, int Mismatched, int Failed, double MaxScoreError, IReadOnlyList<string> Examples, int LiveChanges = 0)
{
    public bool Passed => Exact == Users;
}

/// <summary>
/// Asks the cluster for every user of an artifact and compares with the brute-force top K by
/// <see cref="ServedAnswerRule"/>, the live catalogue's changes counted (<see cref="LiveCatalogueReference"/>).
/// </summary>
public sealed class ServingVerifier(IGrainFactory grains, ModelArtifact artifact, double tolerance = 1e-4)
{
    public async Task<VerificationReport> VerifyAsync(int k, IProgress<int>? progress = null, CancellationToken ct = default)
    {
        // The reference is what the cluster should serve: the artifact, and the live catalogue's changes to it.
        var (live, changes) = await LiveCatalogueReference.ReadAsync(grains, artifact);
        var exact = new ExactRecommender(artifact, live);
        var examples = new List<string>();
        int matched = 0, mismatched = 0, failed = 0, done = 0;
        double maxError = 0;
        var gate = new object();
        await Parallel.ForEachAsync(Enumerable.Range(0, artifact.Users.Count),
            new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = ct },
            async (row, _) =>
            {
                var user = artifact.Users[row].Id;
                string? problem;
                double error = 0;
                try
                {
                    var served = await grains.GetGrain<IUserGrain>(user).Recommend(k);
                    (problem, error) = Compare(served, exact.TopK(row, k));
                }
                catch (Exception e)
                {
                    problem = $"failed: {e.GetType().Name}: {e.Message}";
                }
                lock (gate)
                {
                    maxError = Math.Max(maxError, error);
                    if (problem is null) matched++;
                    else
                    {
                        if (problem.StartsWith("failed", StringComparison.Ordinal)) failed++; else mismatched++;
                        if (examples.Count < 5) examples.Add($"user {user}: {problem}");
                    }
                    progress?.Report(++done);
                }
            });
        return new VerificationReport(artifact.Users.Count, matched, mismatched, failed, maxError, examples, changes);
    }

    private (string? Problem, double MaxError) Compare(Recommendation served, (int Row, double Score)[] expected) =>
        served.ModelVersion != artifact.Manifest.Version
            ? ($"served by version {served.ModelVersion}, not {artifact.Manifest.Version}", 0)
            : ServedAnswerRule.Check(served, expected, tolerance);
}
