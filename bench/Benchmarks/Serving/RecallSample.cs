using MovieRecommender.Artifacts;

namespace MovieRecommender.Benchmarks.Serving;

/// <summary>
/// A fixed random sample of users and their exact top K (<see cref="ExactRecommender"/>: brute force over the artifact's
/// float32 rows in double precision, seen movies excluded), computed once and shared by every index setting; served
/// recall@K is |served rows ∩ exact rows| / K over the sample's answers.
/// </summary>
public sealed class RecallSample
{
    private readonly Dictionary<int, HashSet<int>> _truth;

    private RecallSample(int[] userRows, Dictionary<int, HashSet<int>> truth, double seconds)
    {
        UserRows = userRows;
        _truth = truth;
        Seconds = seconds;
    }

    /// <summary>The sampled users' rows, ascending.</summary>
    public IReadOnlyList<int> UserRows { get; }

    /// <summary>Seconds the brute force took.</summary>
    public double Seconds { get; }

    /// <summary>The sample of <paramref name="size"/> users (the same for the same seed) and their exact top K; with
    /// <paramref name="live"/>, over the live catalogue's changes too (its hidden rows left out, its put movies ranked);
    /// with <paramref name="filter"/>, among the movies it accepts only.</summary>
    public static RecallSample Compute(ModelArtifact artifact, int size, int k, int seed, CancellationToken ct, LiveCatalogueTruth? live = null,
        Grains.MovieFilter? filter = null)
    {
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var random = new Random(seed);
        var rows = new HashSet<int>();
        var count = Math.Min(size, artifact.Users.Count);
        while (rows.Count < count) rows.Add(random.Next(artifact.Users.Count));
        var sorted = rows.Order().ToArray();
        var exact = new ExactRecommender(artifact, live);
        var accepted = filter is null ? null : artifact.Items.Select(item => filter.Matches(item.Genres, item.Year ?? 0)).ToArray();
        var truth = new HashSet<int>[sorted.Length];
        Parallel.For(0, sorted.Length, new ParallelOptions { CancellationToken = ct },
            i => truth[i] = exact.TopK(sorted[i], k, accepted is null ? null : row => accepted[row]).Select(p => p.Row).ToHashSet());
        return new RecallSample(sorted, sorted.Select((row, i) => (row, truth[i])).ToDictionary(p => p.row, p => p.Item2), watch.Elapsed.TotalSeconds);
    }

    public bool Contains(int userRow) => _truth.ContainsKey(userRow);

    /// <summary>The exact top K rows of a sampled user.</summary>
    public IReadOnlySet<int> Truth(int userRow) => _truth[userRow];

    /// <summary>The recall of one answer (its global movie rows) for a sampled user.</summary>
    public double Recall(int userRow, IEnumerable<int> servedRows)
    {
        var expected = _truth[userRow];
        return expected.Count == 0 ? 1 : (double)servedRows.Count(expected.Contains) / expected.Count;
    }
}
