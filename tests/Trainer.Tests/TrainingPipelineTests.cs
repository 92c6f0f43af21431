using System.Text.Json.Nodes;
using MovieRecommender.Model.Artifacts;
using MovieRecommender.Trainer.Data;
using MovieRecommender.Trainer.Training;

namespace MovieRecommender.Trainer.Tests;

public class TrainingPipelineTests
{
    [Fact]
    public void Train_writes_a_consistent_artifact()
    {
        using var data = new TempDir();
        using var output = new TempDir();
        TestData.WriteSynthetic100K(data.Path);
        var ds = MovieLensLoader.Load(data.Path);
        var config = TrainingConfig.Default with { Dimension = 8, Epochs = 2, BatchSize = 128 };
        using var run = TrainingPipeline.Run(ds, 42, config);
        var folder = ArtifactWriter.Write(output.Path, TrainingPipeline.ToArtifact(run));

        foreach (var file in new[] { "manifest.json", "items.npy", "users.npy", "items.tsv", "users.tsv", TrainingPipeline.WeightsFile, TrainingPipeline.CurveFile })
            Assert.True(File.Exists(Path.Combine(folder, file)), file);

        var artifact = ModelArtifact.Load(folder); // verifies checksums and shapes
        Assert.Equal(ds.Items.Count, artifact.ItemEmbeddings.Rows);
        Assert.Equal(ds.Users.Count, artifact.UserEmbeddings.Rows);
        Assert.Equal(8, artifact.ItemEmbeddings.Columns);
        Assert.Equal(8, artifact.Manifest.Dimension);
        Assert.Equal(run.Split.TrainCount, artifact.Manifest.Counts.TrainInteractions);
        Assert.Equal(run.Split.TestCount, artifact.Manifest.Counts.TestInteractions);
        Assert.Equal(42, artifact.Manifest.SplitSeed);
        Assert.Equal("default", artifact.Manifest.HyperParameters["preset"]!.GetValue<string>());
        Assert.Equal(2, artifact.Manifest.HyperParameters["epochs"]!.GetValue<int>());

        // seen = exactly the user's training movies, never a test movie.
        var train = run.Split.TrainUsers.Zip(run.Split.TrainItems, (u, i) => (ds.Users[u].Id, ds.Items[i].Id)).ToHashSet();
        var test = run.Split.TestUsers.Zip(run.Split.TestItems, (u, i) => (ds.Users[u].Id, ds.Items[i].Id)).ToHashSet();
        var seen = artifact.Users.SelectMany(u => u.Seen.Select(s => (u.Id, s))).ToList();
        Assert.Equal(train.Count, seen.Count);
        Assert.All(seen, p => { Assert.Contains(p, train); Assert.DoesNotContain(p, test); });

        var curve = JsonNode.Parse(File.ReadAllText(Path.Combine(folder, TrainingPipeline.CurveFile)))!;
        Assert.Equal(2, curve["epochLoss"]!.AsArray().Count);
        Assert.InRange(artifact.Manifest.Evaluation.Model.SeenExcluded["100"], 0.99, 1.0); // 40 movies: top-100 holds all
    }

    [Fact]
    public void Saved_weights_load_back_into_the_same_model()
    {
        using var data = new TempDir();
        TestData.WriteSynthetic100K(data.Path);
        var ds = MovieLensLoader.Load(data.Path);
        var split = TrainTestSplit.Create(ds, 42);
        var config = TrainingConfig.Default with { Dimension = 8, Epochs = 1, BatchSize = 128 };
        using var trained = TwoTowerTrainer.Train(ds, split, config);
        var path = Path.Combine(data.Path, "weights.dat");
        trained.SaveWeights(path);
        using var fresh = new TwoTowerModel(ds.Users.Count, ds.Items.Count, config with { Seed = 99 },
            FeatureEncoder.Users(ds.Users), FeatureEncoder.Items(ds.Items));
        fresh.load(path);
        var (users, items) = TwoTowerTrainer.Export(fresh);
        Assert.Equal(trained.UserEmbeddings.Values, users.Values);
        Assert.Equal(trained.ItemEmbeddings.Values, items.Values);
    }
}
