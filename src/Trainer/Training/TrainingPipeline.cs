using System.Text.Json;
using System.Text.Json.Nodes;
using MovieRecommender.Artifacts;
using MovieRecommender.Trainer.Data;
using MovieRecommender.Trainer.Evaluation;

namespace MovieRecommender.Trainer.Training;

/// <summary>The result of one run: the split, the trained model and the evaluation table of model and baselines.</summary>
public sealed class TrainingRun(InteractionDataset dataset, TrainTestSplit split, TrainedModel model, EvaluationTable evaluation) : IDisposable
{
    public InteractionDataset Dataset { get; } = dataset;
    public TrainTestSplit Split { get; } = split;
    public TrainedModel Model { get; } = model;
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

    public virtual TrainedModel Train(Func<IProgress<TrainingProgress>?, TrainedModel> train) => train(null);

    public virtual void Trained(TrainedModel model)
    {
    }

    public virtual EvaluationTable Evaluate(Func<EvaluationTable> evaluate) => evaluate();

    public virtual void Evaluated(TrainedModel model, EvaluationTable evaluation)
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
    /// trains and evaluates against the baselines. <paramref name="stages"/> sees each step (the console shows progress
    /// and prints the results); by default nothing is shown.
    /// </summary>
    public static TrainingRun Run(InteractionDataset dataset, int splitSeed, TrainingConfig config, TrainingStages? stages = null,
        CancellationToken cancellationToken = default)
    {
        stages ??= TrainingStages.Silent;
        var split = TrainTestSplit.Create(dataset, splitSeed);
        stages.Split(split);
        var model = stages.Train(progress => TwoTowerTrainer.Train(dataset, split, config, progress, cancellationToken));
        try
        {
            stages.Trained(model);
            var evaluation = stages.Evaluate(() => Evaluate(dataset, split, model));
            stages.Evaluated(model, evaluation);
            return new TrainingRun(dataset, split, model, evaluation);
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    /// <summary>Model, popularity and EASE (λ = 500) on the same split.</summary>
    public static EvaluationTable Evaluate(InteractionDataset dataset, TrainTestSplit split, TrainedModel model) =>
        Evaluate(SparseRows.Build(dataset.Users.Count, dataset.Items.Count, split.TrainUsers, split.TrainItems),
            SparseRows.Build(dataset.Users.Count, dataset.Items.Count, split.TestUsers, split.TestItems),
            model.UserEmbeddings, model.ItemEmbeddings);

    /// <summary>The table for exported embeddings (scored by their plain dot product, as serving does) and both baselines.</summary>
    public static EvaluationTable Evaluate(SparseRows train, SparseRows test, EmbeddingMatrix userEmbeddings, EmbeddingMatrix itemEmbeddings)
    {
        MethodEvaluation modelEvaluation;
        using (var scorer = new EmbeddingScorer(userEmbeddings, itemEmbeddings))
            modelEvaluation = TopKEvaluator.Evaluate(scorer, train, test);
        var popularity = TopKEvaluator.Evaluate(new PopularityBaseline(train), train, test);
        MethodEvaluation ease;
        using (var scorer = new EaseBaseline(train))
            ease = TopKEvaluator.Evaluate(scorer, train, test);
        return new EvaluationTable(modelEvaluation, popularity, ease);
    }

    /// <summary>
    /// EASE (λ = 500) on the validation run's split (<see cref="TwoTowerTrainer.ValidationSplit"/>): trained on the rest of the
    /// training pairs, scored on the held-out ones, seen excluded. The bar the validation figures are judged against.
    /// </summary>
    public static IReadOnlyDictionary<string, double> EaseOnValidation(InteractionDataset dataset, TrainTestSplit split, TrainingConfig config)
    {
        var inner = TwoTowerTrainer.ValidationSplit(split, config);
        var train = SparseRows.Build(dataset.Users.Count, dataset.Items.Count, inner.TrainUsers, inner.TrainItems);
        var validation = SparseRows.Build(dataset.Users.Count, dataset.Items.Count, inner.TestUsers, inner.TestItems);
        using var scorer = new EaseBaseline(train);
        return TopKEvaluator.Evaluate(scorer, train, validation).SeenExcluded;
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
