using System.Collections.Concurrent;
using MovieRecommender.Artifacts;
using MovieRecommender.Grains;
using MovieRecommender.Operations.Verification;

namespace MovieRecommender.Operations.Load;

/// <summary>
/// Checks answers against the brute-force top K of the version each answer reports, for every version given
/// (version → artifact), by <see cref="ServedAnswerRule"/>.
/// </summary>
public sealed class AnswerChecker
{
    private readonly Dictionary<string, (ExactRecommender Exact, Dictionary<string, int> RowOfUser)> _versions = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<(string Version, int Row), (int Row, double Score)[]> _expected = new();
    private readonly int _k;
    private readonly double _tolerance;

    public AnswerChecker(IEnumerable<ModelArtifact> artifacts, int k, double tolerance = 1e-4)
    {
        _k = k;
        _tolerance = tolerance;
        foreach (var artifact in artifacts)
            _versions[artifact.Manifest.Version] = (new ExactRecommender(artifact),
                artifact.Users.Select((u, row) => (u.Id, row)).ToDictionary(p => p.Id, p => p.row, StringComparer.Ordinal));
    }

    public bool Enabled => _versions.Count > 0;

    public IReadOnlyCollection<string> Versions => _versions.Keys;

    /// <summary>Computes every user's expected top K up front, so checking costs nothing during the load.</summary>
    public void Precompute(IEnumerable<string> users) =>
        Parallel.ForEach(_versions.SelectMany(v => users.Select(u => (Version: v.Key, User: u))), p => Expected(p.Version, p.User));

    /// <summary>Null when the answer is right; else what is wrong. <paramref name="known"/>: false when its version was not given.</summary>
    public string? Check(Recommendation served, out bool known)
    {
        known = _versions.ContainsKey(served.ModelVersion);
        if (!known) return null;
        var expected = Expected(served.ModelVersion, served.UserId);
        if (expected is null)
            return served.Source == RecommendationSource.Model ? "the model does not know this user, yet served model movies" : null;
        return ServedAnswerRule.Check(served, expected, _tolerance).Problem;
    }

    private (int Row, double Score)[]? Expected(string version, string user)
    {
        var (exact, rowOfUser) = _versions[version];
        if (!rowOfUser.TryGetValue(user, out var row)) return null;
        return _expected.GetOrAdd((version, row), key => exact.TopK(key.Row, _k));
    }
}
