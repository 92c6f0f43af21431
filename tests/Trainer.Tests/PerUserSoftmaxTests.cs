using MovieRecommender.Trainer.Evaluation;
using MovieRecommender.Trainer.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace MovieRecommender.Trainer.Tests;

/// <summary>The per-user softmax, the history's pooling and table sharing, and the learning-rate schedule, on hand-checkable values.</summary>
public class PerUserSoftmaxTests
{
    [Fact]
    public void TheLossIsTheMeanCrossEntropyOfTheHiddenMoviesOverTheMoviesNotInTheHistory()
    {
        using var scope = NewDisposeScope();
        // One user, four movies, equal logits; movie 0 stays in the history, movies 1 and 2 are hidden.
        var logits = zeros(1, 4);
        var history = tensor(new float[] { 1, 0, 0, 0 }, [1, 4]);
        var targets = tensor(new float[] { 0, 1, 1, 0 }, [1, 4]);

        // History out of the softmax: three movies left, each target -log(1/3); with it in, -log(1/4).
        Assert.Equal(Math.Log(3), PerUserSoftmax.Loss(logits, history, targets, excludeHistory: true).item<float>(), 5);
        Assert.Equal(Math.Log(4), PerUserSoftmax.Loss(logits, history, targets, excludeHistory: false).item<float>(), 5);

        // Logits [ln 2, ln 2, 0, 0] over movies 1-3 (movie 0 excluded): p = [2, 1, 1] / 4, so targets 1 and 2 cost
        // (-ln(1/2) - ln(1/4)) / 2 = 1.5 ln 2.
        var skewed = tensor(new float[] { 9, MathF.Log(2), 0, 0 }, [1, 4]);
        Assert.Equal(1.5 * Math.Log(2), PerUserSoftmax.Loss(skewed, history, targets, excludeHistory: true).item<float>(), 5);
    }

    [Fact]
    public void ABatchWithoutTargetsHasZeroLoss()
    {
        using var scope = NewDisposeScope();
        Assert.Equal(0f, PerUserSoftmax.Loss(zeros(2, 3), ones(2, 3), zeros(2, 3), excludeHistory: true).item<float>());
    }

    [Fact]
    public void DenseRowsAndTheSplitPartitionEachUsersMovies()
    {
        using var scope = NewDisposeScope();
        var rows = SparseRows.Build(3, 5, [0, 0, 0, 2, 2], [0, 2, 4, 1, 3]);
        var dense = PerUserSoftmax.DenseRows(rows, [2, 0]);
        Assert.Equal(new float[] { 0, 1, 0, 1, 0, 1, 0, 1, 0, 1 }, dense.data<float>().ToArray());

        using var generator = new Generator(5);
        var big = ones(200, 100);
        var (history, targets) = PerUserSoftmax.Split(big, 0.25, generator);
        Assert.Equal(big.data<float>().ToArray(), history.add(targets).data<float>().ToArray());
        Assert.True(history.mul(targets).sum().item<float>() == 0, "a movie is either in the history or a target");
        var share = targets.sum().item<float>() / 20_000;
        Assert.InRange(share, 0.24, 0.26);

        // Zeros stay zeros: only a user's own movies are hidden.
        var (h, t) = PerUserSoftmax.Split(dense, 0.5, generator);
        Assert.Equal(dense.data<float>().ToArray(), h.add(t).data<float>().ToArray());
    }

    [Fact]
    public void PoolingWeighsEachHistoryMovieOneOverNOrOneOverRootN()
    {
        using var scope = NewDisposeScope();
        var history = tensor(new float[] { 1, 1, 1, 1, 0, 0, 0, 0 }, [2, 4]);
        Assert.Equal(new float[] { 0.25f, 0.25f, 0.25f, 0.25f, 0, 0, 0, 0 }, PerUserSoftmax.PoolingWeights(history, HistoryPooling.Mean).data<float>().ToArray());
        Assert.Equal(new float[] { 0.5f, 0.5f, 0.5f, 0.5f, 0, 0, 0, 0 }, PerUserSoftmax.PoolingWeights(history, HistoryPooling.SquareRoot).data<float>().ToArray());

        // The bags of the per-pair losses weigh the same: user 0 has {1, 3, 5, 7, 9}, 5 hidden → 4 left at 1/√4.
        var rows = SparseRows.Build(1, 10, [0, 0, 0, 0, 0], [1, 3, 5, 7, 9]);
        Assert.Equal(new[] { 0.5f, 0.5f, 0.5f, 0.5f }, HistoryBags.Build(rows, [0], [5], HistoryPooling.SquareRoot).Weights);
    }

    [Fact]
    public void ASharedHistoryPoolsTheMoviesIdEmbeddings()
    {
        var history = SparseRows.Build(2, 4, [0, 0, 0, 0, 1], [0, 1, 2, 3, 3]);
        var config = TrainingConfig.Default with
        {
            Dimension = 3, Normalize = false, Features = TowerFeatures.History, ShareHistoryTable = true, HistoryPooling = HistoryPooling.SquareRoot,
        };
        using var model = new TwoTowerModel(2, 4, config, null, null, history);
        using var scope = NewDisposeScope();
        var parameters = model.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        Assert.DoesNotContain("historyItems.weight", parameters.Keys);
        var items = parameters["itemIds.weight"].data<float>().ToArray();

        using var noGrad = no_grad();
        // User 0: {0, 1, 2, 3} with 3 hidden → (e0 + e1 + e2) / √3; user 1: {3} → e3.
        var vectors = model.UserVectors([0, 1], [3, -1]).data<float>().ToArray();
        var expected = Enumerable.Range(0, 3).Select(d => (items[d] + items[3 + d] + items[6 + d]) / MathF.Sqrt(3))
            .Concat(Enumerable.Range(0, 3).Select(d => items[9 + d])).ToArray();
        Assert.Equal(expected, vectors, new FloatTolerance(1e-6f));

        // The dense path the per-user loss takes gives the same vector.
        var weights = PerUserSoftmax.PoolingWeights(tensor(new float[] { 1, 1, 1, 0 }, [1, 4]), HistoryPooling.SquareRoot);
        Assert.Equal(expected.Take(3).ToArray(), model.QueryVectors(tensor(new long[] { 0 }), weights).data<float>().ToArray(), new FloatTolerance(1e-6f));
    }

    [Fact]
    public void TheCosineScheduleFallsFromTheRateToATenthOfIt()
    {
        Assert.Equal(1.0, LearningRateSchedules.Factor(LearningRateSchedule.Cosine, 0, 11), 12);
        Assert.Equal(0.55, LearningRateSchedules.Factor(LearningRateSchedule.Cosine, 5, 11), 12);
        Assert.Equal(0.1, LearningRateSchedules.Factor(LearningRateSchedule.Cosine, 10, 11), 12);
        Assert.Equal(1.0, LearningRateSchedules.Factor(LearningRateSchedule.Constant, 7, 11), 12);
    }

    private sealed class FloatTolerance(float tolerance) : IEqualityComparer<float>
    {
        public bool Equals(float x, float y) => Math.Abs(x - y) <= tolerance;
        public int GetHashCode(float obj) => 0;
    }
}
