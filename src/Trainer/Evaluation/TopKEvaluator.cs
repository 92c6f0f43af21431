using MovieRecommender.Artifacts;
using MovieRecommender.Trainer.Data;

namespace MovieRecommender.Trainer.Evaluation;

/// <summary>
/// Top-K accuracy as EVALUATION.md defines it. For each test pair (u, i) every movie is scored for u (in
/// float64); the rank of i is the number of movies whose score is <b>strictly greater</b> than i's, so ties
/// count in the target's favour, exactly as the PyTorch reference computes it
/// (<c>(s &gt; s[target]).sum()</c>). Top-K accuracy is the share of test pairs with rank &lt; K.
/// "Seen excluded" first sets the scores of u's training movies to -infinity.
/// Users are scored in chunks of about <see cref="ChunkValues"/> scores, so memory stays bounded.
/// </summary>
public static class TopKEvaluator
{
    public const int ChunkValues = 1 << 22;

    public static MethodEvaluation Evaluate(IUserScorer scorer, TrainTestSplit split, int users)
    {
        var train = SparseRows.Build(users, scorer.Items, split.TrainUsers, split.TrainItems);
        var test = SparseRows.Build(users, scorer.Items, split.TestUsers, split.TestItems);
        return Evaluate(scorer, train, test);
    }

    public static MethodEvaluation Evaluate(IUserScorer scorer, SparseRows train, SparseRows test)
    {
        var ranks = Ranks(scorer, train, test);
        return new MethodEvaluation(Accuracy(ranks.All), Accuracy(ranks.SeenExcluded));
    }

    /// <summary>The rank of every test pair, in the order of <paramref name="test"/>'s rows, among all movies and seen excluded.</summary>
    public static (int[] All, int[] SeenExcluded) Ranks(IUserScorer scorer, SparseRows train, SparseRows test)
    {
        var items = scorer.Items;
        if (train.ItemCount != items || test.ItemCount != items)
            throw new ArgumentException($"the scorer has {items} items but the interactions {train.ItemCount} / {test.ItemCount}.");
        if (train.Users != test.Users) throw new ArgumentException("train and test have different user counts.");
        var all = new int[test.Items.Length];
        var seenExcluded = new int[test.Items.Length];
        var chunk = Math.Max(1, ChunkValues / Math.Max(1, items));
        var scores = new double[(long)Math.Min(chunk, Math.Max(1, train.Users)) * items];
        var sorted = new double[items];
        for (var first = 0; first < train.Users; first += chunk)
        {
            var count = Math.Min(chunk, train.Users - first);
            // Skip chunks without test pairs (cheap for every scorer).
            if (test.Offsets[first + count] == test.Offsets[first]) continue;
            scorer.Score(first, count, scores);
            for (var r = 0; r < count; r++)
            {
                var u = first + r;
                var targets = test.Row(u);
                if (targets.IsEmpty) continue;
                var row = scores.AsSpan(r * items, items);
                var offset = test.Offsets[u];
                CountGreater(row, targets, all.AsSpan(offset, targets.Length), sorted);
                foreach (var seen in train.Row(u)) row[seen] = double.NegativeInfinity;
                CountGreater(row, targets, seenExcluded.AsSpan(offset, targets.Length), sorted);
            }
        }
        return (all, seenExcluded);
    }

    /// <summary>ranks[k] = number of entries of <paramref name="row"/> strictly greater than row[targets[k]].</summary>
    private static void CountGreater(ReadOnlySpan<double> row, ReadOnlySpan<int> targets, Span<int> ranks, double[] sorted)
    {
        if (targets.Length <= 16)
        {
            for (var k = 0; k < targets.Length; k++)
            {
                var target = row[targets[k]];
                var greater = 0;
                foreach (var s in row) if (s > target) greater++;
                ranks[k] = greater;
            }
            return;
        }
        // Many targets: sort once (NaN sorts first and is never greater), then count by binary search.
        row.CopyTo(sorted);
        Array.Sort(sorted);
        for (var k = 0; k < targets.Length; k++)
        {
            var target = row[targets[k]];
            if (double.IsNaN(target)) { ranks[k] = 0; continue; } // nothing is greater than NaN, as in NumPy
            // first index whose value is > target
            int lo = 0, hi = sorted.Length;
            while (lo < hi)
            {
                var mid = (lo + hi) >>> 1;
                if (sorted[mid] > target) hi = mid; else lo = mid + 1;
            }
            ranks[k] = sorted.Length - lo;
        }
    }

    public static IReadOnlyDictionary<string, double> Accuracy(int[] ranks)
    {
        var result = new Dictionary<string, double>();
        foreach (var k in EvaluationTable.Ks)
        {
            var hits = 0;
            foreach (var r in ranks) if (r < k) hits++;
            result[k.ToString(System.Globalization.CultureInfo.InvariantCulture)] = ranks.Length == 0 ? 0 : (double)hits / ranks.Length;
        }
        return result;
    }
}
