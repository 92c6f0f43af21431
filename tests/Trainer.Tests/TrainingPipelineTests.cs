using System.Text.Json.Nodes;
using MovieRecommender.Artifacts;
using MovieRecommender.Trainer.Data;
using MovieRecommender.Trainer.Training;

namespace MovieRecommender.Trainer.Tests;

public class TrainingPipelineTests
{
    [Fact]
    public void TrainWritesAConsistentArtifact()
    {
        using var data = new TempFolder();
        using var output = new TempFolder();
        TestData.WriteSynthetic100K(data.Path);
        var ds = MovieLensLoader.Load(data.Path);
        var config = TrainingConfig.Default with { Dimension = 8, Epochs = 4, BatchSize = 128, ValidationFraction = 0.1, Patience = 1 };
        using var run = TrainingPipeline.Run(ds, 42, config);
        var folder = ArtifactWriter.Write(output.Path, TrainingPipeline.ToArtifact(run));

        foreach (var file in new[] { "manifest.json", "items.npy", "users.npy", "items.tsv", "users.tsv", TrainingPipeline.WeightsFile, TrainingPipeline.CurveFile, TrainingPipeline.PlotFile })
            Assert.True(File.Exists(Path.Combine(folder, file)), file);

        var artifact = ModelArtifact.Load(folder); // verifies checksums and shapes
        Assert.Equal(ds.Items.Count, artifact.ItemEmbeddings.Rows);
        Assert.Equal(ds.Users.Count, artifact.UserEmbeddings.Rows);
        // 8 dimensions plus the item-bias column: 1 for every user, so that the dot product adds the movie's bias.
        Assert.Equal(9, artifact.ItemEmbeddings.Columns);
        Assert.Equal(9, artifact.Manifest.Dimension);
        Assert.All(Enumerable.Range(0, artifact.Users.Count), u => Assert.Equal(1f, artifact.UserEmbeddings.Row(u)[8]));
        Assert.Equal(run.Split.TrainCount, artifact.Manifest.Counts.TrainInteractions);
        Assert.Equal(run.Split.TestCount, artifact.Manifest.Counts.TestInteractions);
        Assert.Equal(42, artifact.Manifest.SplitSeed);
        Assert.Equal("default", artifact.Manifest.HyperParameters["preset"]!.GetValue<string>());
        Assert.Equal(4, artifact.Manifest.HyperParameters["epochs"]!.GetValue<int>());
        Assert.Equal(run.Model.Epochs, artifact.Manifest.HyperParameters["epochsTrained"]!.GetValue<int>());

        // seen = exactly the user's training movies, never a test movie.
        var train = run.Split.TrainUsers.Zip(run.Split.TrainItems, (u, i) => (ds.Users[u].Id, ds.Items[i].Id)).ToHashSet();
        var test = run.Split.TestUsers.Zip(run.Split.TestItems, (u, i) => (ds.Users[u].Id, ds.Items[i].Id)).ToHashSet();
        var seen = artifact.Users.SelectMany(u => u.Seen.Select(s => (u.Id, s))).ToList();
        Assert.Equal(train.Count, seen.Count);
        Assert.All(seen, p => { Assert.Contains(p, train); Assert.DoesNotContain(p, test); });

        // The learning curves: a validation run that chose the epochs, then the final run of that many epochs.
        var curve = JsonNode.Parse(File.ReadAllText(Path.Combine(folder, TrainingPipeline.CurveFile)))!;
        var validation = curve["validationRun"]!.AsArray();
        Assert.InRange(validation.Count, 1, 4);
        Assert.All(validation, e => Assert.InRange(e!["validationTop10"]!.GetValue<double>(), 0, 1));
        Assert.Equal(run.Model.Epochs, curve["finalRun"]!.AsArray().Count);
        Assert.Equal(run.Model.Epochs, curve["epochsChosen"]!.GetValue<int>());
        Assert.StartsWith("<svg", File.ReadAllText(Path.Combine(folder, TrainingPipeline.PlotFile)));
        Assert.InRange(artifact.Manifest.Evaluation.Model.SeenExcluded["100"], 0.99, 1.0); // 40 movies: top-100 holds all
    }

    [Fact]
    public void SavedWeightsLoadBackIntoTheSameModel()
    {
        using var data = new TempFolder();
        TestData.WriteSynthetic100K(data.Path);
        var ds = MovieLensLoader.Load(data.Path);
        var split = TrainTestSplit.Create(ds, 42);
        var config = TrainingConfig.Default with { Dimension = 8, Epochs = 1, BatchSize = 128, ValidationFraction = 0 };
        using var trained = TwoTowerTrainer.Train(ds, split, config);
        var path = Path.Combine(data.Path, "weights.dat");
        trained.SaveWeights(path);
        var train = MovieRecommender.Trainer.Evaluation.SparseRows.Build(ds.Users.Count, ds.Items.Count, split.TrainUsers, split.TrainItems);
        using var fresh = TwoTowerTrainer.Build(ds, config with { Seed = 99 }, train);
        fresh.load(path);
        var (users, items) = ServedRows.Export(fresh, config.Temperature);
        Assert.Equal(trained.UserEmbeddings.Values, users.Values);
        Assert.Equal(trained.ItemEmbeddings.Values, items.Values);
    }

    [Fact]
    public void TheManifestEvaluationAgreesWithARecomputationFromTheArtifactFiles()
    {
        using var data = new TempFolder();
        using var output = new TempFolder();
        TestData.WriteSynthetic100K(data.Path);
        var ds = MovieLensLoader.Load(data.Path);
        using var run = TrainingPipeline.Run(ds, 5, TrainingConfig.Default with { Dimension = 8, Epochs = 2, BatchSize = 128, ValidationFraction = 0 });
        var artifact = ModelArtifact.Load(ArtifactWriter.Write(output.Path, TrainingPipeline.ToArtifact(run)));

        var recomputed = MovieRecommender.Trainer.Evaluation.ArtifactEvaluation.Recompute(artifact, ds);

        Assert.True(MovieRecommender.Trainer.Evaluation.ArtifactEvaluation.MaxDifference(artifact.Manifest.Evaluation, recomputed) <= 0.003);
        Assert.Equal(artifact.Manifest.Evaluation.Ease.SeenExcluded["10"], recomputed.Ease.SeenExcluded["10"], 9);
    }
}

public class MlLatestTrainingTests
{
    [Fact]
    public void TheDefaultConfigurationTrainsOnAnMlLatestLayoutCatalogueWithoutRetuning()
    {
        using var data = new TempFolder();
        TestData.WriteSyntheticLatest(data.Path);
        var ds = MovieLensLoader.Load(data.Path);
        Assert.Equal(DatasetLayout.MovieLensLatest, ds.Layout);
        Assert.False(ds.HasUserFeatures);
        Assert.True(ds.Items.Count > 5 * ds.Users.Count);

        // The default's own settings (features, loss choice, early stopping), only made smaller to keep the test quick.
        var config = TrainingConfig.Default with { Dimension = 16, Epochs = 30 };
        using var run = TrainingPipeline.Run(ds, 42, config);

        Assert.Equal(LossKind.PerUser, run.Model.Loss);
        Assert.False(run.Model.Network.HasUserFeatures);
        Assert.True(run.Model.Network.HasItemFeatures);
        Assert.True(run.Model.Network.HasItemBias);
        Assert.InRange(run.Model.Epochs, 1, 30);
        Assert.True(run.Evaluation.Model.SeenExcluded["50"] > run.Evaluation.Popularity.SeenExcluded["50"],
            $"model {run.Evaluation.Model.SeenExcluded["50"]} vs popularity {run.Evaluation.Popularity.SeenExcluded["50"]}");
    }

    [Fact]
    public void InBatchSoftmaxWithLogQTrainsWhenForced()
    {
        using var data = new TempFolder();
        TestData.WriteSyntheticLatest(data.Path);
        var ds = MovieLensLoader.Load(data.Path);
        var split = TrainTestSplit.Create(ds, 1);
        var config = TrainingConfig.Default with { Dimension = 16, Epochs = 5, BatchSize = 256, Loss = LossKind.InBatch, ValidationFraction = 0 };
        using var model = TwoTowerTrainer.Train(ds, split, config);
        Assert.Equal(LossKind.InBatch, model.Loss);
        Assert.True(model.EpochLosses[^1] < model.EpochLosses[0], $"losses {string.Join(", ", model.EpochLosses)}");
    }
}
