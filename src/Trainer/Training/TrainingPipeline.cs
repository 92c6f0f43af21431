using System.Text.Json;
using System.Text.Json.Nodes;
using MovieRecommender.Artifacts;
using MovieRecommender.Trainer.Data;
using MovieRecommender.Trainer.Evaluation;
using MovieRecommender.Trainer.Tuning;

namespace MovieRecommender.Trainer.Training;

/// <summary>
/// The result of one run: the split, what tuning tried and chose (null with <c>--no-tune</c>), the trained model, EASE's λ
/// chosen on the validation pairs, EASE over the whole λ grid on the test pairs (a reference that chooses nothing) and the
/// evaluation table of model and baselines.
/// </summary>
public sealed class TrainingRun(InteractionDataset dataset, TrainTestSplit split, TuningResult? tuning, TrainedModel model, EaseLambdaChoice ease,
    EaseLambdaChoice easeOnTest, EvaluationTable evaluation) : IDisposable
{
    public InteractionDataset Dataset { get; } = dataset;
    public TrainTestSplit Split { get; } = split;
    public TuningResult? Tuning { get; } = tuning;
    public TrainedModel Model { get; } = model;
    public EaseLambdaChoice Ease { get; } = ease;
    public EaseLambdaChoice EaseOnTest { get; } = easeOnTest;
    public EvaluationTable Evaluation { get; } = evaluation;

    public void Dispose() => Model.Dispose();
}

/// <summary>
/// The steps of <see cref="TrainingPipeline.Run"/> as they happen: a console overrides them to show progress and print
/// results. <see cref="Train"/> and <see cref="Evaluate"/> wrap the work itself (for a progress display or a spinner) and
/// must run it once.
/// </summary>
public class TrainingStages
{
    public static TrainingStages Silent { get; } = new();

    public virtual void Split(TrainTestSplit split)
    {
    }

    public virtual TuningResult Tune(Func<IProgress<TrainingProgress>?, TuningResult> tune) => tune(null);

    public virtual void Tuned(TuningResult tuning)
    {
    }

    public virtual TrainedModel Train(Func<IProgress<TrainingProgress>?, TrainedModel> train) => train(null);

    public virtual void Trained(TrainedModel model)
    {
    }

    public virtual EvaluationTable Evaluate(Func<EvaluationTable> evaluate) => evaluate();

    public virtual void Evaluated(TrainingRun run)
    {
    }
}

/// <summary>Split, train, evaluate against the baselines, and turn the result into an artifact: what <c>train</c> does, without the console.</summary>
public static class TrainingPipeline
{
    public const string WeightsFile = "weights.dat";
    public const string CurveFile = "training.json";
    public const string PlotFile = "learning-curves.svg";

    /// <summary>
    /// What <c>train</c> does after loading the data, and what the tests run: splits with <paramref name="splitSeed"/>,
    /// tunes <paramref name="config"/> on validation pairs carved from the training pairs (<paramref name="fixedSettings"/> not
    /// null: the settings of <see cref="HyperparameterSearch"/> to leave as they are), trains on every training pair and
    /// evaluates against the baselines. <paramref name="stages"/> sees each step (the console shows progress and prints the
    /// results); by default nothing is shown.
    /// </summary>
    public static TrainingRun Run(InteractionDataset dataset, int splitSeed, TrainingConfig config, TrainingStages? stages = null,
        CancellationToken cancellationToken = default, IReadOnlySet<string>? fixedSettings = null, double tuningBudgetRuns = HyperparameterSearch.DefaultBudgetRuns)
    {
        stages ??= TrainingStages.Silent;
        var split = TrainTestSplit.Create(dataset, splitSeed);
        stages.Split(split);
        TuningResult? tuning = null;
        if (fixedSettings is not null && config.Epochs > 0)
        {
            tuning = stages.Tune(progress => HyperparameterSearch.Run(dataset, split, config, fixedSettings, tuningBudgetRuns, progress, cancellationToken));
            stages.Tuned(tuning);
            config = tuning.Chosen;
        }
        var ease = tuning?.Ease ?? EaseOnValidation(dataset, split, config, cancellationToken);
        var model = stages.Train(progress => TwoTowerTrainer.Train(dataset, split, config, progress, cancellationToken));
        try
        {
            stages.Trained(model);
            EaseLambdaChoice easeOnTest = null!;
            var evaluation = stages.Evaluate(() =>
            {
                var (train, test) = Rows(dataset, split);
                easeOnTest = EaseLambdaSearch.Run(train, test, cancellationToken: cancellationToken);
                // The grid on the test pairs holds EASE at the λ chosen on validation already: no second fit.
                return Evaluate(train, test, model.UserEmbeddings, model.ItemEmbeddings, ease.Lambda, easeOnTest.Evaluations[ease.Lambda]);
            });
            var run = new TrainingRun(dataset, split, tuning, model, ease, easeOnTest, evaluation);
            stages.Evaluated(run);
            return run;
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    /// <summary>A split's training and test pairs as rows per user.</summary>
    public static (SparseRows Train, SparseRows Test) Rows(InteractionDataset dataset, TrainTestSplit split) =>
        (SparseRows.Build(dataset.Users.Count, dataset.Items.Count, split.TrainUsers, split.TrainItems),
         SparseRows.Build(dataset.Users.Count, dataset.Items.Count, split.TestUsers, split.TestItems));

    /// <summary>The table for exported embeddings (scored by their plain dot product, as serving does), popularity and EASE at <paramref name="easeLambda"/>.</summary>
    /// <param name="ease">EASE's evaluation on these pairs when already computed at <paramref name="easeLambda"/>.</param>
    public static EvaluationTable Evaluate(SparseRows train, SparseRows test, EmbeddingMatrix userEmbeddings, EmbeddingMatrix itemEmbeddings, double easeLambda,
        MethodEvaluation? ease = null)
    {
        MethodEvaluation modelEvaluation;
        using (var scorer = new EmbeddingScorer(userEmbeddings, itemEmbeddings))
            modelEvaluation = TopKEvaluator.Evaluate(scorer, train, test);
        var popularity = TopKEvaluator.Evaluate(new PopularityBaseline(train), train, test);
        if (ease is null)
        {
            using var scorer = new EaseBaseline(train, easeLambda);
            ease = TopKEvaluator.Evaluate(scorer, train, test);
        }
        return new EvaluationTable(modelEvaluation, popularity, ease);
    }

    /// <summary>
    /// EASE's λ chosen from <see cref="EaseLambdaSearch.Grid"/> on the tuning's validation pairs (carved from the training pairs
    /// as <see cref="HyperparameterSearch"/> carves them), trained on the rest of the training pairs: the bar the validation
    /// figures are judged against, and the λ of the evaluation table's EASE.
    /// </summary>
    public static EaseLambdaChoice EaseOnValidation(InteractionDataset dataset, TrainTestSplit split, TrainingConfig config, CancellationToken cancellationToken = default)
    {
        var (train, validation) = Rows(dataset, TwoTowerTrainer.ValidationSplit(split, HyperparameterSearch.AsTrial(config)));
        return EaseLambdaSearch.Run(train, validation, cancellationToken: cancellationToken);
    }

    /// <summary>What <see cref="ArtifactWriter"/> needs: catalog, users with their training movies, embeddings,
    /// hyper-parameters, the evaluation, and as extra files the TorchSharp weights and the learning curve.</summary>
    public static ArtifactContent ToArtifact(TrainingRun run)
    {
        var dataset = run.Dataset;
        var train = SparseRows.Build(dataset.Users.Count, dataset.Items.Count, run.Split.TrainUsers, run.Split.TrainItems);
        var items = dataset.Items.Select(i => new CatalogItem(i.Id, i.Title, i.Genres, i.Year)).ToList();
        var users = new List<ArtifactUser>(dataset.Users.Count);
        for (var u = 0; u < dataset.Users.Count; u++)
        {
            var seen = new List<string>();
            foreach (var i in train.Row(u)) seen.Add(dataset.Items[i].Id);
            users.Add(new ArtifactUser(dataset.Users[u].Id, seen));
        }
        var hyper = run.Model.Config.ToJson();
        hyper["dataset"] = dataset.Name;
        hyper["layout"] = dataset.Layout.ToString();
        hyper["userFeatures"] = run.Model.Network.HasUserFeatures;
        hyper["itemFeatures"] = run.Model.Network.HasItemFeatures;
        hyper["splitSeed"] = run.Split.Seed;
        hyper["trainingSeconds"] = Math.Round(run.Model.TrainingSeconds, 3);
        hyper["lossUsed"] = TrainingConfig.LossName(run.Model.Loss);
        hyper["epochsTrained"] = run.Model.Epochs;
        hyper["easeLambda"] = run.Ease.Lambda;
        hyper["easeOnValidation"] = TuningResult.EaseJson(run.Ease);
        // Reported, never used to choose: the strictest bar the λ grid sets on the test pairs.
        hyper["easeOnTestReference"] = TuningResult.EaseJson(run.EaseOnTest);
        hyper["tuning"] = run.Tuning?.ToJson();
        return new ArtifactContent(dataset.Name, run.Split.Seed, hyper, run.Evaluation, run.Split.TrainCount, run.Split.TestCount,
            run.Model.TrainingSeconds, items, run.Model.ItemEmbeddings, users, run.Model.UserEmbeddings,
            folder => WriteExtraFiles(folder, run));
    }

    private static void WriteExtraFiles(string folder, TrainingRun run)
    {
        run.Model.SaveWeights(Path.Combine(folder, WeightsFile));
        run.Model.Towers?.Write(folder);
        var curve = new JsonObject
        {
            ["lossUnit"] = "mean cross-entropy per training pair",
            ["validationMetric"] = "seen-excluded top-10 and top-100 accuracy on the validation pairs (carved from the training pairs)",
            ["epochsChosen"] = run.Model.Epochs,
            ["validationRun"] = Curve(run.Model.ValidationCurve),
            ["finalRun"] = Curve(run.Model.FinalCurve),
            ["trainingSeconds"] = Math.Round(run.Model.TrainingSeconds, 3),
            ["hyperParameters"] = run.Model.Config.ToJson(),
        };
        File.WriteAllText(Path.Combine(folder, CurveFile), curve.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        File.WriteAllText(Path.Combine(folder, PlotFile), LearningCurvePlot.Render(run.Model));
    }

    private static JsonArray Curve(IEnumerable<EpochRecord> records) => new(records.Select(e => (JsonNode)new JsonObject
    {
        ["epoch"] = e.Epoch,
        ["loss"] = Math.Round(e.Loss, 6),
        ["validationTop10"] = e.ValidationTop10 is { } top10 ? Math.Round(top10, 6) : null,
        ["validationTop100"] = e.ValidationTop100 is { } top100 ? Math.Round(top100, 6) : null,
        ["seconds"] = Math.Round(e.Seconds, 3),
    }).ToArray());
}
