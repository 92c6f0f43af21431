using MovieRecommender.Trainer.Data;
using MovieRecommender.Trainer.Evaluation;
using MovieRecommender.Trainer.Training;

namespace MovieRecommender.Trainer.Tests;

public class TwoTowerTrainerTests
{
    private static InteractionDataset Synthetic()
    {
        using var dir = new TempFolder();
        TestData.WriteSynthetic100K(dir.Path);
        return MovieLensLoader.Load(dir.Path);
    }

    private static readonly TrainingConfig Small = TrainingConfig.Default with { Dimension = 8, Epochs = 12, BatchSize = 64, LearningRate = 0.02, ValidationFraction = 0 };

    [Fact]
    public void LossFallsAndTheModelBeatsChance()
    {
        var ds = Synthetic();
        var split = TrainTestSplit.Create(ds, 1);
        var reports = new List<TrainingProgress>();
        using var model = TwoTowerTrainer.Train(ds, split, Small, new SynchronousProgress<TrainingProgress>(reports.Add));
        Assert.Equal(12, model.EpochLosses.Count);
        Assert.True(model.EpochLosses[^1] < 0.9 * model.EpochLosses[0], $"losses {string.Join(", ", model.EpochLosses)}");
        Assert.Equal(12 * ((ds.Users.Count + 63) / 64 + 1), reports.Count); // every batch of users, then every epoch's end
        Assert.Equal(1.0, reports[^1].Fraction, 9);

        // Movies of the user's own group should rank well: top-10 of 40 movies, far above 25% chance.
        using var scorer = new EmbeddingScorer(model.UserEmbeddings, model.ItemEmbeddings);
        var e = TopKEvaluator.Evaluate(scorer, split, ds.Users.Count);
        Assert.True(e.SeenExcluded["10"] > 0.5, $"seen-excluded top-10 {e.SeenExcluded["10"]}");
    }

    [Fact]
    public void SameSeedGivesIdenticalEmbeddingsAnotherSeedDoesNot()
    {
        var ds = Synthetic();
        var split = TrainTestSplit.Create(ds, 1);
        var config = Small with { Epochs = 3 };
        using var a = TwoTowerTrainer.Train(ds, split, config);
        using var b = TwoTowerTrainer.Train(ds, split, config);
        using var c = TwoTowerTrainer.Train(ds, split, config with { Seed = 43 });
        Assert.Equal(a.UserEmbeddings.Values, b.UserEmbeddings.Values);
        Assert.Equal(a.ItemEmbeddings.Values, b.ItemEmbeddings.Values);
        Assert.NotEqual(a.ItemEmbeddings.Values, c.ItemEmbeddings.Values);
    }

    [Fact]
    public void ExportedDotProductIsCosineOverTemperatureWhenNormalised()
    {
        var ds = Synthetic();
        var split = TrainTestSplit.Create(ds, 1);
        using var m = TwoTowerTrainer.Train(ds, split, Small with { Epochs = 1, Normalize = true, Temperature = 0.25, ItemBias = false });
        for (var r = 0; r < 3; r++)
        {
            var userNorm = Math.Sqrt(m.UserEmbeddings.Row(r).ToArray().Sum(v => (double)v * v));
            var itemNorm = Math.Sqrt(m.ItemEmbeddings.Row(r).ToArray().Sum(v => (double)v * v));
            Assert.Equal(4.0, userNorm, 4);
            Assert.Equal(1.0, itemNorm, 4);
        }
    }

    [Fact]
    public void NotebookPresetTrainsWithInBatchSumLossAndAdagrad()
    {
        var ds = Synthetic();
        var split = TrainTestSplit.Create(ds, 1);
        var config = TrainingConfig.Notebook with { BatchSize = 128, Epochs = 8 };
        using var m = TwoTowerTrainer.Train(ds, split, config);
        Assert.Equal(32, m.ItemEmbeddings.Columns);
        Assert.False(m.Network.HasUserFeatures);
        Assert.True(m.EpochLosses[^1] < m.EpochLosses[0], $"losses {string.Join(", ", m.EpochLosses)}");
    }

    [Fact]
    public void InvalidConfigIsRejectedWithTheOptionName()
    {
        var e = Assert.Throws<ArgumentException>(() => (TrainingConfig.Default with { BatchSize = 0 }).Validate());
        Assert.Contains("--batch", e.Message);
        Assert.Contains("--temperature", Assert.Throws<ArgumentException>(() => (TrainingConfig.Default with { Temperature = 0 }).Validate()).Message);
        Assert.Contains("--validation", Assert.Throws<ArgumentException>(() => (TrainingConfig.Default with { ValidationFraction = 0.7 }).Validate()).Message);
    }
}
