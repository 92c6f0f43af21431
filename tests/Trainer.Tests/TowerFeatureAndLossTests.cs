using MovieRecommender.Trainer.Data;
using MovieRecommender.Trainer.Evaluation;
using MovieRecommender.Trainer.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace MovieRecommender.Trainer.Tests;

/// <summary>The loss and feature machinery on hand-checkable tensors, and every feature switch.</summary>
public class TowerFeatureAndLossTests
{
    [Fact]
    public void LogQCorrectionSubtractsEachColumnsLogSamplingProbability()
    {
        using var scope = NewDisposeScope();
        var queries = tensor(new float[] { 1, 0, 0, 1 }, [2, 2]);
        var candidates = tensor(new float[] { 1, 0, 1, 1 }, [2, 2]);
        var logQ = tensor(new float[] { MathF.Log(0.5f), MathF.Log(0.25f) });
        using var one = 1.ToScalar();
        using var scaled = queries.mul(2.0); // the trainer divides the queries by the temperature, here 0.5

        var plain = InBatchSoftmax.Logits(scaled, candidates, null, one).data<float>().ToArray();
        var corrected = InBatchSoftmax.Logits(scaled, candidates, logQ, one).data<float>().ToArray();

        // q·c = [[1, 1], [0, 1]], over temperature 0.5: [[2, 2], [0, 2]]; minus log q per column: + log 2 on column 0, + log 4 on column 1.
        Assert.Equal(new[] { 2f, 2f, 0f, 2f }, plain);
        Assert.Equal(new[] { 2 + MathF.Log(2), 2 + MathF.Log(4), MathF.Log(2), 2 + MathF.Log(4) }, corrected, new FloatTolerance(1e-5f));
    }

    [Fact]
    public void LogItemFrequenciesAreTheLogShareOfTrainingPairs()
    {
        var train = SparseRows.Build(2, 3, [0, 0, 1, 1], [0, 1, 0, 2]);
        using var logQ = InBatchSoftmax.LogItemFrequencies(train);
        Assert.Equal(new[] { MathF.Log(0.5f), MathF.Log(0.25f), MathF.Log(0.25f) }, logQ.data<float>().ToArray(), new FloatTolerance(1e-6f));
    }

    [Fact]
    public void HistoryBagsHideTheTargetAndAverageTheRest()
    {
        var history = SparseRows.Build(3, 6, [0, 0, 0, 1, 2], [1, 3, 5, 4, 2]);

        var bags = HistoryBags.Build(history, [0, 1, 2], [3, 0, 2]);

        // user 0: {1, 3, 5} without 3 → 1 and 5 at 1/2; user 1: {4}, 0 is not in it → 4 at 1; user 2: {2} without 2 → empty.
        Assert.Equal(new long[] { 1, 5, 4 }, bags.Items);
        Assert.Equal(new long[] { 0, 0, 1 }, bags.Bags);
        Assert.Equal(new[] { 0.5f, 0.5f, 1f }, bags.Weights);
        Assert.Equal(new long[] { 1, 3, 5 }, HistoryBags.Build(history, [0], []).Items);
    }

    [Fact]
    public void TheQueryTowerAddsTheMeanOfTheHistoryWithoutTheTarget()
    {
        var history = SparseRows.Build(2, 4, [0, 0, 0, 1], [0, 1, 2, 3]);
        var config = TrainingConfig.Default with { Dimension = 3, Normalize = false, Features = TowerFeatures.UserId | TowerFeatures.History, ShareHistoryTable = false, HistoryPooling = HistoryPooling.Mean };
        using var model = new TwoTowerModel(2, 4, config, null, null, history);
        using var scope = NewDisposeScope();
        var parameters = model.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        var userIds = parameters["userIds.weight"].data<float>().ToArray();
        var hist = parameters["historyItems.weight"].data<float>().ToArray();

        using var noGrad = no_grad();
        var vector = model.UserVectors([0], [1]).data<float>().ToArray();

        // user 0's history is {0, 1, 2}; predicting 1 leaves the mean of movies 0 and 2.
        var expected = Enumerable.Range(0, 3).Select(d => userIds[d] + (hist[0 * 3 + d] + hist[2 * 3 + d]) / 2).ToArray();
        Assert.Equal(expected, vector, new FloatTolerance(1e-6f));
    }

    [Fact]
    public void EveryMoviesVectorFromTheSparseFeatureProductEqualsThePerMovieLookupAndSoDoTheGradients()
    {
        // Movie 0: features 1 and 2; movie 1: none; movie 2: feature 2 twice (a sum counts it twice); padding is 0.
        var features = new FeatureMatrix(3, 2, [1, 2, 0, 0, 2, 2], [FeatureMatrix.Padding, "genre:a", "genre:b"]);
        var config = TrainingConfig.Default with { Dimension = 4, Normalize = false, Features = TowerFeatures.UserId | TowerFeatures.Genres };
        using var model = new TwoTowerModel(2, 3, config, null, features);
        using var scope = NewDisposeScope();
        var weights = model.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        var ids = weights["itemIds.weight"].data<float>().ToArray();
        var table = weights["itemFeatures.weight"].data<float>().ToArray();
        using var direction = tensor(new float[] { 1, -2, 3, 0.5f, -1, 2, 0.25f, 4, 1.5f, -3, 2, -0.5f }, [3, 4]);

        var all = model.AllItemVectors();
        // By hand: the id vector plus the named features' vectors.
        float At(float[] t, int row, int d) => t[row * 4 + d];
        var expected = Enumerable.Range(0, 12).Select(k => (Row: k / 4, D: k % 4)).Select(x => At(ids, x.Row, x.D) + x.Row switch
        {
            0 => At(table, 1, x.D) + At(table, 2, x.D),
            1 => 0f,
            _ => 2 * At(table, 2, x.D),
        }).ToArray();
        Assert.Equal(expected, all.data<float>().ToArray(), new FloatTolerance(1e-6f));

        all.mul(direction).sum().backward();
        var sparseGradient = weights["itemFeatures.weight"].grad!.data<float>().ToArray();
        weights["itemFeatures.weight"].grad!.zero_();
        var lookedUp = model.ItemVectors(arange(3L));
        Assert.Equal(all.data<float>().ToArray(), lookedUp.data<float>().ToArray(), new FloatTolerance(1e-6f));
        lookedUp.mul(direction).sum().backward();
        Assert.Equal(weights["itemFeatures.weight"].grad!.data<float>().ToArray(), sparseGradient, new FloatTolerance(1e-6f));
        Assert.All(sparseGradient.Take(4), g => Assert.Equal(0f, g)); // the padding row learns nothing
    }

    public static TheoryData<string> EachFeature => new(TowerFeatureNames.Each.Select(e => e.Name));

    [Theory]
    [MemberData(nameof(EachFeature))]
    public void EachFeatureSwitchChangesExactlyItsOwnInput(string name)
    {
        using var dir = new TempFolder();
        TestData.WriteSynthetic100K(dir.Path);
        var ds = MovieLensLoader.Load(dir.Path);
        var feature = TowerFeatureNames.Parse(name);

        var userNames = FeatureEncoder.Users(ds.Users, feature).Vocabulary.Skip(1).ToList();
        var itemNames = FeatureEncoder.Items(ds.Items, feature).Vocabulary.Skip(1).ToList();
        var prefix = feature switch
        {
            TowerFeatures.Age => "age:", TowerFeatures.Gender => "gender:", TowerFeatures.Occupation => "occupation:", TowerFeatures.Zip => "zip:",
            TowerFeatures.Genres => "genre:", TowerFeatures.Year => "year:", TowerFeatures.TitleWords => "word:", _ => null,
        };
        Assert.All(userNames.Concat(itemNames), n => Assert.StartsWith(prefix ?? "<no feature expected>", n));
        if (prefix is not null) Assert.NotEmpty(userNames.Concat(itemNames));

        var split = TrainTestSplit.Create(ds, 3);
        var config = TrainingConfig.Default with { Dimension = 4, Epochs = 1, BatchSize = 256, ValidationFraction = 0, ShareHistoryTable = false };
        var train = SparseRows.Build(ds.Users.Count, ds.Items.Count, split.TrainUsers, split.TrainItems);
        // Against the ids alone; the user id itself is checked against history alone (a tower needs some input).
        var reference = feature == TowerFeatures.UserId ? TowerFeatures.History : TowerFeatures.UserId;
        using var with = TwoTowerTrainer.Build(ds, config with { Features = reference | feature }, train);
        using var without = TwoTowerTrainer.Build(ds, config with { Features = reference }, train);
        var added = with.named_parameters().Select(p => p.name).Except(without.named_parameters().Select(p => p.name)).ToList();
        var expected = feature switch
        {
            TowerFeatures.UserId => "userIds.weight",
            TowerFeatures.History => "historyItems.weight",
            _ when (feature & TowerFeatures.UserDemographics) != 0 => "userFeatures.weight",
            _ => "itemFeatures.weight",
        };
        Assert.Equal([expected], added);
    }

    [Fact]
    public void FeatureListsParseAndRefuseUnknownNames()
    {
        Assert.Equal(TowerFeatures.All, TowerFeatureNames.Parse("all"));
        Assert.Equal(TowerFeatures.UserId, TowerFeatureNames.Parse("none"));
        Assert.Equal(TowerFeatures.History | TowerFeatures.Genres, TowerFeatureNames.Parse("history, genres"));
        Assert.Equal("history,genres", TowerFeatureNames.Format(TowerFeatures.History | TowerFeatures.Genres));
        Assert.Contains("'colour'", Assert.Throws<ArgumentException>(() => TowerFeatureNames.Parse("genres,colour")).Message);
    }

    [Fact]
    public void AutoLossIsFullSoftmaxWhileTheCatalogueFits()
    {
        var config = TrainingConfig.Default with { Loss = LossKind.Auto, BatchSize = 1000 };
        Assert.Equal(LossKind.Full, config.EffectiveLoss(1_664));
        Assert.Equal(LossKind.Full, config.EffectiveLoss(25_000));
        Assert.Equal(LossKind.InBatch, config.EffectiveLoss(25_001));
        Assert.Equal(LossKind.InBatch, (config with { Loss = LossKind.InBatch }).EffectiveLoss(10));
    }

    [Fact]
    public void TitleWordsDropTheYearAndPunctuation()
    {
        Assert.Equal(["godfather", "the", "part", "ii"], FeatureEncoder.TitleWords("Godfather: The Part II (1974)"));
    }

    private sealed class FloatTolerance(float tolerance) : IEqualityComparer<float>
    {
        public bool Equals(float x, float y) => Math.Abs(x - y) <= tolerance;
        public int GetHashCode(float obj) => 0;
    }
}
