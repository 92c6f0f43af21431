using MovieRecommender.Grains;

namespace MovieRecommender.Operations.Verification;

/// <summary>
/// When a served answer counts as the exact top K: the model's movies, as many as expected, every score within
/// the tolerance of the brute force position by position, and the same movies unless the last place is a tie.
/// The version check is the caller's (it knows which version it expects).
/// </summary>
public static class ServedAnswerRule
{
    /// <summary>What is wrong (null when nothing is) and the largest score error seen.</summary>
    public static (string? Problem, double MaxError) Check(Recommendation served, (int Row, double Score)[] expected, double tolerance) =>
        Check(served, RecommendationSource.Model, expected, tolerance);

    /// <summary>The same, for an answer expected from <paramref name="source"/> (a user with ratings since training, or none at all).</summary>
    public static (string? Problem, double MaxError) Check(Recommendation served, RecommendationSource source, (int Row, double Score)[] expected, double tolerance)
    {
        if (served.Source != source)
            return ($"served {served.Source} movies, not {source}", 0);
        if (served.Movies.Length != expected.Length)
            return ($"{served.Movies.Length} movies, expected {expected.Length}", 0);
        double maxError = 0;
        for (var i = 0; i < expected.Length; i++)
        {
            var error = Math.Abs(served.Movies[i].Score - expected[i].Score);
            maxError = Math.Max(maxError, error);
            if (error > tolerance)
                return ($"rank {i + 1}: score {served.Movies[i].Score} (row {served.Movies[i].Row}), expected {expected[i].Score} (row {expected[i].Row})", maxError);
        }
        var servedRows = served.Movies.Select(m => m.Row).ToHashSet();
        var missing = expected.Where(e => !servedRows.Contains(e.Row) && Math.Abs(e.Score - expected[^1].Score) > tolerance).ToArray();
        return missing.Length > 0 ? ($"row {missing[0].Row} (score {missing[0].Score}) is missing", maxError) : (null, maxError);
    }
}
