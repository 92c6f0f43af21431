using MovieRecommender.Artifacts;
using MovieRecommender.Artifacts.Towers;
using MovieRecommender.Trainer.Data;
using MovieRecommender.Trainer.Training;

namespace MovieRecommender.Trainer.Tests;

/// <summary>
/// The serving side's <see cref="FeatureTowers"/>, loaded from a written artifact, against the trainer's own towers run
/// with the id embedding left out (<see cref="FeatureOnlyTowers"/>): on a small real model of ML-100K, every catalogue
/// movie and every user embedded from features alone must match, or a new movie served would not be the movie trained.
/// </summary>
public sealed class FeatureTowersTests : IClassFixture<FeatureTowersTests.TrainedArtifact>
{
    private const float Tolerance = 1e-4f;

    private readonly TrainedArtifact _trained;

    public FeatureTowersTests(TrainedArtifact trained) => _trained = trained;

    [Fact]
    public void EveryMovieEmbeddedFromItsFeaturesIsTheTrainersFeatureOnlyRow()
    {
        var towers = _trained.Artifact.Towers!;
        var items = _trained.Artifact.Items;
        Assert.Equal(_trained.FeatureOnly.Items.Rows, items.Count);
        var largest = 0f;
        for (var r = 0; r < items.Count; r++)
            largest = Math.Max(largest, LargestDifference(towers.EmbedNewMovie(items[r].Title, items[r].Genres, items[r].Year), _trained.FeatureOnly.Items.Row(r)));
        Assert.True(largest <= Tolerance, $"largest difference over {items.Count} movies: {largest}");
        // The bias column is the cold bias the trainer's feature-only tower uses, which the model learned (id dropout is on).
        Assert.Equal(ServedRows.ColdMovieBias(_trained.Run.Model.Network), towers.Settings.ColdMovieBias);
        Assert.True(_trained.Run.Model.Network.HasColdBias);
        Assert.Contains("coldBias.weight", _trained.Run.Model.Network.state_dict().Keys); // trained and saved with the weights
        Assert.NotEqual(0f, towers.Settings.ColdMovieBias);
    }

    [Fact]
    public void EveryUserEmbeddedFromDemographicsIsTheTrainersFeatureOnlyRow()
    {
        var towers = _trained.Artifact.Towers!;
        var users = _trained.Run.Dataset.Users;
        Assert.Equal(_trained.FeatureOnly.Users.Rows, users.Count);
        var largest = 0f;
        for (var u = 0; u < users.Count; u++)
        {
            Assert.Equal(users[u].Id, _trained.Artifact.Users[u].Id);
            var row = towers.EmbedNewUser(users[u].Age, users[u].Gender, users[u].Occupation, users[u].Zip);
            Assert.NotNull(row);
            largest = Math.Max(largest, LargestDifference(row, _trained.FeatureOnly.Users.Row(u)));
        }
        Assert.True(largest <= Tolerance, $"largest difference over {users.Count} users: {largest}");
    }

    [Fact]
    public void ReembeddingAMovieWithUnchangedFeaturesGivesItsServedRowBack()
    {
        var towers = _trained.Artifact.Towers!;
        var items = _trained.Artifact.Items;
        var largest = 0f;
        for (var r = 0; r < items.Count; r++)
        {
            var features = (items[r].Title, (IEnumerable<string>)items[r].Genres, items[r].Year);
            var row = towers.ReembedMovie(r, _trained.Artifact.ItemEmbeddings.Row(r), features, features);
            largest = Math.Max(largest, LargestDifference(row, _trained.Artifact.ItemEmbeddings.Row(r)));
        }
        Assert.True(largest <= Tolerance, $"largest difference over {items.Count} movies: {largest}");
    }

    [Fact]
    public void TheReaderRefusesADamagedTowersFileNamingIt()
    {
        using var copy = _trained.CopyOfArtifact();
        var path = Path.Combine(copy.Path, TowerFiles.Settings);
        File.WriteAllText(path, File.ReadAllText(path)[..40]);
        var e = Assert.Throws<ArtifactException>(() => FeatureTowersReader.Read(copy.Path, _trained.Artifact.Manifest, _trained.Artifact.Items.Count));
        Assert.Contains(path, e.Message);
        Assert.Contains("not valid JSON", e.Message);
        // Loading the whole artifact refuses it too (its checksum no longer matches), naming the same file.
        Assert.Contains(path, Assert.Throws<ArtifactException>(() => ModelArtifact.Load(copy.Path)).Message);
    }

    [Fact]
    public void TheReaderRefusesATableOfTheWrongShapeNamingIt()
    {
        using var copy = _trained.CopyOfArtifact();
        var towers = _trained.Artifact.Towers!;
        var path = Path.Combine(copy.Path, TowerFiles.MovieFeatures);
        var rows = towers.MovieFeatures.Rows - 1;
        NpyFile.Write(path, new EmbeddingMatrix(rows, towers.MovieFeatures.Columns, towers.MovieFeatures.Values[..(rows * towers.MovieFeatures.Columns)]));
        var e = Assert.Throws<ArtifactException>(() => FeatureTowersReader.Read(copy.Path, _trained.Artifact.Manifest, _trained.Artifact.Items.Count));
        Assert.Contains(path, e.Message);
        Assert.Contains($"{rows} x {towers.MovieFeatures.Columns}", e.Message);

        var normsPath = Path.Combine(copy.Path, TowerFiles.MovieNorms);
        File.Copy(Path.Combine(_trained.Folder, TowerFiles.MovieFeatures), path, overwrite: true);
        NpyFile.Write(normsPath, new EmbeddingMatrix(2, 1, [1f, 1f]));
        Assert.Contains(normsPath, Assert.Throws<ArtifactException>(() => FeatureTowersReader.Read(copy.Path, _trained.Artifact.Manifest, _trained.Artifact.Items.Count)).Message);
    }

    [Fact]
    public void WithoutIdDropoutANewMovieGetsTheMeanLearnedBias()
    {
        using var data = new TempFolder();
        TestData.WriteSynthetic100K(data.Path);
        var dataset = MovieLensLoader.Load(data.Path);
        var split = TrainTestSplit.Create(dataset, 42);
        var small = TrainingConfig.Default with { Dimension = 8, Epochs = 2 };
        // No dropout; and dropout asked of a loss that has none (only the per-user loss drops ids).
        foreach (var config in new[] { small with { IdDropout = 0 }, small with { Loss = LossKind.Full } })
        {
            using var model = TwoTowerTrainer.Train(dataset, split, config);
            Assert.False(model.Network.HasColdBias);
            var biases = Enumerable.Range(0, model.ItemEmbeddings.Rows).Select(r => (double)model.ItemEmbeddings.Row(r)[^1]).ToList();
            Assert.Equal(biases.Average(), model.Towers!.Settings.ColdMovieBias, 1e-5);
            Assert.NotEqual(0, biases.Average());
        }
    }

    private static float LargestDifference(ReadOnlySpan<float> served, ReadOnlySpan<float> trainer)
    {
        Assert.Equal(trainer.Length, served.Length);
        var largest = 0f;
        for (var d = 0; d < served.Length; d++) largest = Math.Max(largest, Math.Abs(served[d] - trainer[d]));
        return largest;
    }

    /// <summary>One small default model of the real ML-100K (few epochs, dimension 32), written and loaded back, shared by the tests.</summary>
    public sealed class TrainedArtifact : IDisposable
    {
        private readonly TempFolder _output = new();

        public TrainedArtifact()
        {
            var dataset = MovieLensLoader.Load(TestData.RealMl100K());
            var config = TrainingConfig.Default with { Dimension = 32, Epochs = 3 };
            Run = TrainingPipeline.Run(dataset, 42, config);
            Folder = ArtifactWriter.Write(_output.Path, TrainingPipeline.ToArtifact(Run));
            Artifact = ModelArtifact.Load(Folder);
            FeatureOnly = FeatureOnlyTowers.Export(Run.Model.Network, Run.Model.Towers!.Settings.NewUserScale);
        }

        public TrainingRun Run { get; }
        public string Folder { get; }
        public ModelArtifact Artifact { get; }
        public (EmbeddingMatrix Users, EmbeddingMatrix Items) FeatureOnly { get; }

        /// <summary>A copy of the artifact's files to damage.</summary>
        public TempFolder CopyOfArtifact()
        {
            var copy = new TempFolder();
            foreach (var file in Directory.GetFiles(Folder)) File.Copy(file, Path.Combine(copy.Path, Path.GetFileName(file)));
            return copy;
        }

        public void Dispose()
        {
            Run.Dispose();
            _output.Dispose();
        }
    }
}
