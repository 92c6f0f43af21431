using MovieRecommender.Artifacts;
using MovieRecommender.Trainer.Data;
using MovieRecommender.Trainer.Evaluation;

namespace MovieRecommender.Trainer.Tests;

public class EvaluationTests
{
    private sealed class FixedScorer(double[,] s) : IUserScorer
    {
        public int Items => s.GetLength(1);

        public void Score(int firstUser, int count, double[] scores)
        {
            for (var r = 0; r < count; r++)
                for (var i = 0; i < Items; i++)
                    scores[r * Items + i] = s[firstUser + r, i];
        }
    }

    [Fact]
    public void RanksCountStrictlyGreaterScoresAllAndSeenExcluded()
    {
        var scorer = new FixedScorer(new[,] { { 0.9, 0.5, 0.5, 0.1 }, { 0.2, 0.8, 0.4, 0.6 } });
        var train = SparseRows.Build(2, 4, [0, 1], [0, 1]);
        var test = SparseRows.Build(2, 4, [0, 0, 1, 1], [3, 1, 3, 0]);
        var (all, seen) = TopKEvaluator.Ranks(scorer, train, test);
        // Test rows are grouped by user, items ascending: u0 → 1, 3; u1 → 0, 3.
        Assert.Equal([1, 3, 3, 1], all);   // u0/1: 0.9 beats it, the tie at 0.5 does not count
        Assert.Equal([0, 2, 2, 0], seen);  // the seen movie no longer counts

        var e = TopKEvaluator.Evaluate(scorer, train, test);
        Assert.Equal(0.0, e.All["1"]);
        Assert.Equal(1.0, e.All["5"]);
        Assert.Equal(0.5, e.SeenExcluded["1"]);
        Assert.Equal(1.0, e.SeenExcluded["5"]);
        Assert.Equal(EvaluationTable.Ks.Select(k => k.ToString()), e.All.Keys);
    }

    [Fact]
    public void SortedPathForManyTargetsAgreesWithBruteForce()
    {
        var random = new Random(3);
        const int users = 5, items = 300;
        var s = new double[users, items];
        for (var u = 0; u < users; u++)
            for (var i = 0; i < items; i++)
                s[u, i] = Math.Round(random.NextDouble(), 2); // many ties
        var trainPairs = new List<(int, int)>();
        var testPairs = new List<(int, int)>();
        for (var u = 0; u < users; u++)
            for (var i = 0; i < items; i++)
            {
                var x = random.NextDouble();
                if (x < 0.2) trainPairs.Add((u, i)); else if (x < 0.4) testPairs.Add((u, i));
            }
        var train = SparseRows.Build(users, items, trainPairs.Select(p => p.Item1).ToArray(), trainPairs.Select(p => p.Item2).ToArray());
        var test = SparseRows.Build(users, items, testPairs.Select(p => p.Item1).ToArray(), testPairs.Select(p => p.Item2).ToArray());
        var (all, seen) = TopKEvaluator.Ranks(new FixedScorer(s), train, test);
        var k = 0;
        for (var u = 0; u < users; u++)
            foreach (var t in test.Row(u))
            {
                var seenSet = train.Row(u).ToArray().ToHashSet();
                Assert.Equal(Enumerable.Range(0, items).Count(i => s[u, i] > s[u, t]), all[k]);
                Assert.Equal(Enumerable.Range(0, items).Count(i => !seenSet.Contains(i) && s[u, i] > s[u, t]), seen[k]);
                k++;
            }
        Assert.True(test.Row(0).Length > 16);
    }

    [Fact]
    public void PopularityScoresTrainingCounts()
    {
        var train = SparseRows.Build(3, 4, [0, 1, 2, 1, 2], [2, 2, 2, 0, 0]);
        var scores = new double[2 * 4];
        new PopularityBaseline(train).Score(1, 2, scores);
        Assert.Equal([2, 0, 3, 0, 2, 0, 3, 0], scores);
    }

    [Fact]
    public void EaseMatchesAnIndependentClosedForm()
    {
        int[,] x = { { 1, 1, 0, 0 }, { 0, 1, 1, 0 }, { 1, 1, 1, 0 }, { 0, 0, 1, 1 }, { 1, 0, 0, 1 } };
        const double lambda = 2;
        int users = x.GetLength(0), items = x.GetLength(1);
        var pu = new List<int>();
        var pi = new List<int>();
        for (var u = 0; u < users; u++) for (var i = 0; i < items; i++) if (x[u, i] == 1) { pu.Add(u); pi.Add(i); }
        using var ease = new EaseBaseline(SparseRows.Build(users, items, pu.ToArray(), pi.ToArray()), lambda);

        // Independent: G = XᵀX + λI, inverse by Gauss–Jordan, B_ij = -P_ij / P_jj, diag 0.
        var g = new double[items, items];
        for (var i = 0; i < items; i++)
            for (var j = 0; j < items; j++)
            {
                for (var u = 0; u < users; u++) g[i, j] += x[u, i] * x[u, j];
                if (i == j) g[i, j] += lambda;
            }
        var p = Invert(g);
        var b = new double[items, items];
        for (var i = 0; i < items; i++)
            for (var j = 0; j < items; j++)
                b[i, j] = i == j ? 0 : -p[i, j] / p[j, j];

        var weights = ease.Weights();
        for (var i = 0; i < items; i++)
            for (var j = 0; j < items; j++)
                Assert.Equal(b[i, j], weights[i * items + j], 12);

        var scores = new double[users * items];
        ease.Score(0, users, scores);
        for (var u = 0; u < users; u++)
            for (var j = 0; j < items; j++)
            {
                double expected = 0;
                for (var i = 0; i < items; i++) expected += x[u, i] * b[i, j];
                Assert.Equal(expected, scores[u * items + j], 12);
            }
        Assert.NotEqual(0, b[0, 1]); // the example is not degenerate
    }

    [Theory]
    [InlineData(8000)] // every movie modelled
    [InlineData(25)]   // the most popular 25 of 40 modelled, the rest -infinity
    public void EaseFromTheUsersInverseScoresAsTheItemsInverseDoes(int maxItems)
    {
        // 12 users, 40 movies: fewer users than movies, where Auto takes the users × users inverse.
        var random = new Random(5);
        var pu = new List<int>();
        var pi = new List<int>();
        for (var u = 0; u < 12; u++)
            for (var i = 0; i < 40; i++)
                if (random.NextDouble() < 0.3) { pu.Add(u); pi.Add(i); }
        var train = SparseRows.Build(12, 40, pu.ToArray(), pi.ToArray());
        using var items = new EaseBaseline(train, 3, maxItems, EaseBaseline.Form.Items);
        using var users = new EaseBaseline(train, 3, maxItems, EaseBaseline.Form.Users);
        using var auto = new EaseBaseline(train, 3, maxItems);
        Assert.False(items.UsersForm);
        Assert.True(users.UsersForm);
        Assert.True(auto.UsersForm);
        var expected = new double[12 * 40];
        var actual = new double[12 * 40];
        items.Score(0, 12, expected);
        users.Score(0, 12, actual);
        for (var k = 0; k < expected.Length; k++)
            if (double.IsNegativeInfinity(expected[k])) Assert.Equal(expected[k], actual[k]);
            else Assert.Equal(expected[k], actual[k], 9);
        Assert.Contains(expected, double.IsFinite);
    }

    [Fact]
    public void EaseOnALargeCatalogModelsOnlyTheMostPopularMovies()
    {
        // 4 items, cap 2: items 1 and 2 are the most popular; 0 and 3 score -infinity.
        var train = SparseRows.Build(3, 4, [0, 1, 2, 0, 1, 2], [1, 1, 1, 2, 2, 0]);
        using var ease = new EaseBaseline(train, 500, maxItems: 2);
        var scores = new double[4];
        ease.Score(0, 1, scores);
        Assert.Equal(double.NegativeInfinity, scores[0]);
        Assert.Equal(double.NegativeInfinity, scores[3]);
        Assert.True(double.IsFinite(scores[1]) && double.IsFinite(scores[2]));
    }

    [Fact]
    public void EmbeddingScorerIsTheDotProduct()
    {
        var users = new EmbeddingMatrix(2, 2, [1, 2, 3, 4]);
        var items = new EmbeddingMatrix(3, 2, [1, 0, 0, 1, 1, 1]);
        using var scorer = new EmbeddingScorer(users, items);
        var scores = new double[3];
        scorer.Score(1, 1, scores);
        Assert.Equal([3, 4, 7], scores);
    }

    private static double[,] Invert(double[,] a)
    {
        var n = a.GetLength(0);
        var m = new double[n, 2 * n];
        for (var i = 0; i < n; i++) { for (var j = 0; j < n; j++) m[i, j] = a[i, j]; m[i, n + i] = 1; }
        for (var c = 0; c < n; c++)
        {
            var pivot = Enumerable.Range(c, n - c).MaxBy(r => Math.Abs(m[r, c]));
            for (var j = 0; j < 2 * n; j++) (m[c, j], m[pivot, j]) = (m[pivot, j], m[c, j]);
            var d = m[c, c];
            for (var j = 0; j < 2 * n; j++) m[c, j] /= d;
            for (var r = 0; r < n; r++)
            {
                if (r == c) continue;
                var f = m[r, c];
                for (var j = 0; j < 2 * n; j++) m[r, j] -= f * m[c, j];
            }
        }
        var inv = new double[n, n];
        for (var i = 0; i < n; i++) for (var j = 0; j < n; j++) inv[i, j] = m[i, n + j];
        return inv;
    }
}
