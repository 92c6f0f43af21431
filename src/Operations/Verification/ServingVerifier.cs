using MovieRecommender.Artifacts;
using MovieRecommender.Grains;

namespace MovieRecommender.Operations.Verification;

/// <summary>The outcome of checking every user's served top K against <see cref="ExactRecommender"/>.</summary>
public sealed record VerificationReport(int Users, int Exact, int Mismatched, int Failed, double MaxScoreError, IReadOnlyList<string> Examples,
    int LiveChanges = 0, int UsersWithLiveState = 0)
{
    public bool Passed => Exact == Users;
}

/// <summary>
/// Asks the cluster for every user of an artifact, and every user the user log alone knows, and compares with the
/// brute-force top K by <see cref="ServedAnswerRule"/>: the live catalogue's changes, the ratings and profiles
/// recorded since training and the erasures counted (<see cref="ServedReference"/>).
/// </summary>
public sealed class ServingVerifier(IGrainFactory grains, ModelArtifact artifact, double tolerance = 1e-4)
{
    /// <param name="progress">Users checked so far, of how many.</param>
    public async Task<VerificationReport> VerifyAsync(int k, IProgress<(int Done, int Total)>? progress = null, CancellationToken ct = default)
    {
        // The reference is what the cluster should serve: the artifact, and what changed since it was trained.
        var reference = await ServedReference.ReadAsync(grains, artifact, ct);
        var examples = new List<string>();
        int matched = 0, mismatched = 0, failed = 0, done = 0;
        double maxError = 0;
        var gate = new object();
        await Parallel.ForEachAsync(reference.Users,
            new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = ct },
            async (user, _) =>
            {
                string? problem;
                double error = 0;
                try
                {
                    var served = await grains.GetGrain<IUserGrain>(user).Recommend(k);
                    (problem, error) = Compare(served, reference.Expected(user, k));
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
                    progress?.Report((++done, reference.Users.Count));
                }
            });
        return new VerificationReport(reference.Users.Count, matched, mismatched, failed, maxError, examples, reference.LiveChanges, reference.UsersWithLiveState);
    }

    private (string? Problem, double MaxError) Compare(Recommendation served, ExpectedAnswer expected) =>
        served.ModelVersion != artifact.Manifest.Version
            ? ($"served by version {served.ModelVersion}, not {artifact.Manifest.Version}", 0)
            : ServedAnswerRule.Check(served, expected.Source, expected.Movies, tolerance);
}
