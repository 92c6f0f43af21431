using System.Text.Json.Nodes;
using MovieRecommender.Trainer.Data;
using MovieRecommender.Trainer.Evaluation;
using MovieRecommender.Trainer.Training;
using MovieRecommender.Trainer.Tuning;

namespace MovieRecommender.Trainer.Tests;

/// <summary>
/// The trainer's own tuning: it chooses on validation pairs carved from the training pairs and never reads the test
/// pairs; the same seed makes the same choice and the same embeddings; EASE's λ is chosen on the same pairs; a setting
/// the user gave stays fixed; the choice is in the manifest.
/// </summary>
public sealed class TuningTests
{
    // Small enough for a test: 4 epochs a run, so screening at 2 (start, two temperatures, learning rate, weight decay), then 4.
    private static readonly TrainingConfig Small = TrainingConfig.Default with { Dimension = 8, Epochs = 4, BatchSize = 16, Threads = 1 };

    private static InteractionDataset Data(TempFolder folder)
    {
        TestData.WriteSynthetic100K(folder.Path, users: 60, items: 40);
        return MovieLensLoader.Load(folder.Path);
    }

    [Fact]
    public void TuningNeverReadsTheTestPairs()
    {
        using var folder = new TempFolder();
        var dataset = Data(folder);
        var split = TrainTestSplit.Create(dataset, 42);
        // The same training pairs; the test pairs replaced by others (each moved to another user and movie). A search that
        // scored anything on the test pairs would see other figures.
        var moved = split with
        {
            TestUsers = split.TestUsers.Select(u => (u + 17) % dataset.Users.Count).ToArray(),
            TestItems = split.TestItems.Select(i => (i + 11) % dataset.Items.Count).ToArray(),
        };
        Assert.NotEqual(split.TestUsers, moved.TestUsers);

        var original = HyperparameterSearch.Run(dataset, split, Small);
        var other = HyperparameterSearch.Run(dataset, moved, Small);

        Assert.True(original.Trials.Count >= 3, $"{original.Trials.Count} trials");
        Assert.Equal(Figures(original), Figures(other));
        Assert.Equal(original.Chosen, other.Chosen);
        Assert.Equal(original.Ease, other.Ease, EaseComparer.Instance);
        // The trials differ from one another (the comparison above is not of constants).
        Assert.True(original.Trials.Select(t => t.Score).Distinct().Count() > 1);
    }

    [Fact]
    public void TheSameSeedMakesTheSameChoiceAndTheSameEmbeddings()
    {
        using var folder = new TempFolder();
        var dataset = Data(folder);

        using var first = TrainingPipeline.Run(dataset, 42, Small, fixedSettings: new HashSet<string>());
        using var second = TrainingPipeline.Run(dataset, 42, Small, fixedSettings: new HashSet<string>());

        Assert.NotNull(first.Tuning);
        Assert.Equal(Figures(first.Tuning!), Figures(second.Tuning!));
        Assert.Equal(first.Tuning!.Chosen, second.Tuning!.Chosen);
        Assert.Equal(first.Model.Config, first.Tuning.Chosen);
        Assert.Equal(first.Model.UserEmbeddings.Values, second.Model.UserEmbeddings.Values);
        Assert.Equal(first.Model.ItemEmbeddings.Values, second.Model.ItemEmbeddings.Values);
        Assert.Equal(first.Ease.Lambda, second.Ease.Lambda);
        Assert.Equal(first.Ease.Lambda, first.Tuning.Ease.Lambda); // the table's EASE takes the λ chosen on validation
    }

    [Fact]
    public void SettingsTheUserGaveStayFixedAndTheBudgetHolds()
    {
        using var folder = new TempFolder();
        var dataset = Data(folder);
        var split = TrainTestSplit.Create(dataset, 42);

        var result = HyperparameterSearch.Run(dataset, split, Small, new HashSet<string> { HyperparameterSearch.Temperature, HyperparameterSearch.Epochs }, budgetRuns: 10);

        Assert.All(result.Trials, t => Assert.Equal(Small.Temperature, t.Temperature));
        Assert.All(result.Trials, t => Assert.Equal(Small.Epochs, t.Epochs));
        Assert.Contains(result.Trials, t => t.LearningRate != Small.LearningRate);
        Assert.Contains(result.Trials, t => t.WeightDecay != Small.WeightDecay);
        Assert.True(result.EpochsSpent <= result.BudgetEpochs);
        Assert.Equal(result.Trials.Sum(t => t.Epochs), result.EpochsSpent);
        Assert.True(result.ChosenTrial!.Score >= result.Trials.Max(t => t.Score) - 2 * HyperparameterSearch.MinImprovement);
    }

    [Fact]
    public void ABudgetTooSmallForTheFullScheduleKeepsTheStartsLength()
    {
        using var folder = new TempFolder();
        var dataset = Data(folder);
        var split = TrainTestSplit.Create(dataset, 42);

        // Half a run of 4 epochs: one screening trial of 2 epochs, nothing more.
        var screenedOnly = HyperparameterSearch.Run(dataset, split, Small, budgetRuns: 0.5);
        Assert.Single(screenedOnly.Trials);
        Assert.Equal(Small.Epochs, screenedOnly.Chosen.Epochs);
        Assert.Null(screenedOnly.ChosenTrial);

        // No trial fits at all (the screening needs 20 epochs of a 40-epoch start): the start, untouched.
        var none = HyperparameterSearch.Run(dataset, split, Small with { Epochs = 40 }, budgetRuns: 0.1);
        Assert.Empty(none.Trials);
        Assert.Equal(Small with { Epochs = 40 }, none.Chosen);
    }

    [Fact]
    public void EaseChoosesItsLambdaOnTheHeldOutPairs()
    {
        using var folder = new TempFolder();
        var dataset = Data(folder);
        var split = TrainTestSplit.Create(dataset, 42);
        var (train, test) = TrainingPipeline.Rows(dataset, split);

        var choice = EaseLambdaSearch.Run(train, test);

        Assert.Equal(EaseLambdaSearch.Grid, choice.Trials.Select(t => t.Lambda));
        using var chosen = new EaseBaseline(train, choice.Lambda);
        var figures = TopKEvaluator.Evaluate(chosen, train, test).SeenExcluded;
        Assert.Equal(figures["10"], choice.Chosen.Top10, 12);
        Assert.Equal(figures["100"], choice.Chosen.Top100, 12);
        var best10 = choice.Trials.Max(t => t.Top10);
        var best100 = choice.Trials.Max(t => t.Top100);
        Assert.All(choice.Trials, t => Assert.True(
            ValidationScore.Of(t.Top10, t.Top100, best10, best100) <= ValidationScore.Of(choice.Chosen.Top10, choice.Chosen.Top100, best10, best100) + 1e-12));
    }

    [Fact]
    public async Task TrainTunesByDefaultRecordsTheChoiceAndNoTuneTrainsThePreset()
    {
        using var data = new TempFolder();
        TestData.WriteSynthetic100K(data.Path, users: 60, items: 40);
        using var output = new TempFolder();
        string[] small = ["--data", data.Path, "--out", output.Path, "--dim", "8", "--epochs", "3", "--batch", "16", "--threads", "1"];

        var tuned = await TrainerProgram.RunAsync(["train", .. small]);
        Assert.True(tuned.ExitCode == 0, tuned.Output);
        Assert.Contains("tuning on the validation pairs", tuned.StandardOutput);
        Assert.Contains("Tuned in", tuned.StandardOutput);
        var hyper = Manifest(tuned.LastLine);
        var chosen = hyper["tuning"]!["chosen"]!;
        Assert.Equal(chosen["temperature"]!.GetValue<double>(), hyper["temperature"]!.GetValue<double>());
        Assert.Equal(chosen["lr"]!.GetValue<double>(), hyper["lr"]!.GetValue<double>());
        Assert.Equal(chosen["weightDecay"]!.GetValue<double>(), hyper["weightDecay"]!.GetValue<double>());
        Assert.Equal(3, hyper["epochs"]!.GetValue<int>()); // given on the command line: fixed
        Assert.All(hyper["tuning"]!["trials"]!.AsArray(), t => Assert.Equal(3, t!["epochs"]!.GetValue<int>()));
        Assert.Equal(hyper["easeLambda"]!.GetValue<double>(), hyper["tuning"]!["ease"]!["lambda"]!.GetValue<double>());
        Assert.Contains($"EASE (λ {hyper["easeLambda"]!.GetValue<double>()})", tuned.StandardOutput);

        var untuned = await TrainerProgram.RunAsync(["train", .. small, "--no-tune"]);
        Assert.True(untuned.ExitCode == 0, untuned.Output);
        Assert.DoesNotContain("Tuned in", untuned.StandardOutput);
        var fixedHyper = Manifest(untuned.LastLine);
        Assert.Null(fixedHyper["tuning"]);
        Assert.Equal(TrainingConfig.Default.Temperature, fixedHyper["temperature"]!.GetValue<double>());
        Assert.Equal(TrainingConfig.Default.LearningRate, fixedHyper["lr"]!.GetValue<double>());
        Assert.Equal(hyper["easeLambda"]!.GetValue<double>(), fixedHyper["easeLambda"]!.GetValue<double>()); // EASE is chosen the same way either way
    }

    private static JsonObject Manifest(string artifactFolder) =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(artifactFolder, "manifest.json")))!["hyperParameters"]!.AsObject();

    private static List<(string, double, int, double, double, double, double)> Figures(TuningResult result) =>
        result.Trials.Select(t => (t.Change, t.Temperature, t.Epochs, t.LearningRate, t.WeightDecay, t.Top10, t.Top100)).ToList();

    private sealed class EaseComparer : IEqualityComparer<EaseLambdaChoice>
    {
        public static readonly EaseComparer Instance = new();

        public bool Equals(EaseLambdaChoice? x, EaseLambdaChoice? y) =>
            x is not null && y is not null && x.Lambda == y.Lambda && x.Trials.SequenceEqual(y.Trials);

        public int GetHashCode(EaseLambdaChoice obj) => obj.Lambda.GetHashCode();
    }
}
