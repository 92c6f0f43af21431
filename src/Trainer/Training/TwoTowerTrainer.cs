using System.Diagnostics;
using MovieRecommender.Artifacts;
using MovieRecommender.Trainer.Data;
using MovieRecommender.Trainer.Evaluation;
using TorchSharp;
using static TorchSharp.torch;

namespace MovieRecommender.Trainer.Training;

/// <summary>
/// Trains a <see cref="TwoTowerModel"/> on a split's training pairs. With a validation fraction, a first run on
/// the rest of the training pairs picks the epoch count by early stopping on the held-out pairs (the test pairs
/// are never looked at), then a final run trains on every training pair for that many epochs.
/// </summary>
public static class TwoTowerTrainer
{
    public const string ValidationPhase = "validation run";
    public const string FinalPhase = "final run";

    /// <summary>Deterministic for a given config (seed included): initialisation and shuffles draw from generators seeded with it.</summary>
    public static TrainedModel Train(InteractionDataset dataset, TrainTestSplit split, TrainingConfig config,
        IProgress<TrainingProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        config.Validate();
        torch.set_num_threads(Math.Max(1, Math.Min(config.Threads, Environment.ProcessorCount)));
        torch.random.manual_seed(config.Seed);
        var stopwatch = Stopwatch.StartNew();
        var loss = config.EffectiveLoss(dataset.Items.Count);

        IReadOnlyList<EpochRecord> validationCurve = [];
        var epochs = config.Epochs;
        if (config.ValidationFraction > 0 && config.Epochs > 0)
        {
            var inner = ValidationSplit(split, config);
            var probe = Fit(dataset, inner, config, loss, config.Epochs, validate: true, ValidationPhase, progress, cancellationToken);
            validationCurve = probe.Curve;
            epochs = probe.BestEpochs;
            if (!config.Refit)
                return Finish(probe.Model, config, loss, epochs, validationCurve, probe.Curve.Take(epochs).ToList(), stopwatch);
            probe.Model.Dispose();
        }
        var final = Fit(dataset, split, config, loss, epochs, validate: false, FinalPhase, progress, cancellationToken);
        return Finish(final.Model, config, loss, epochs, validationCurve, final.Curve, stopwatch);
    }

    /// <summary>The validation run's split: <see cref="TrainingConfig.ValidationFraction"/> of <paramref name="split"/>'s training
    /// pairs held out (as its test pairs), drawn with a seed of its own; the test pairs are not in it.</summary>
    public static TrainTestSplit ValidationSplit(TrainTestSplit split, TrainingConfig config) =>
        split.CarveValidation(config.ValidationFraction, config.Seed + 1);

    private static TrainedModel Finish(TwoTowerModel model, TrainingConfig config, LossKind loss, int epochs,
        IReadOnlyList<EpochRecord> validationCurve, IReadOnlyList<EpochRecord> finalCurve, Stopwatch stopwatch)
    {
        try
        {
            var (users, items) = ServedRows.Export(model, config.Temperature);
            var towers = TowerExport.From(model, config, ServedRows.ColdMovieBias(model), config.NewUserScale / config.Temperature);
            return new TrainedModel(model, config, loss, epochs, users, items, validationCurve, finalCurve, stopwatch.Elapsed.TotalSeconds, towers);
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    private sealed record FitResult(TwoTowerModel Model, List<EpochRecord> Curve, int BestEpochs);

    /// <summary>
    /// Trains a fresh model on <paramref name="split"/>'s train pairs (which are also the users' histories).
    /// With <paramref name="validate"/>, scores the split's test pairs after every epoch, stops after
    /// <see cref="TrainingConfig.Patience"/> epochs without improvement and restores the best epoch's weights.
    /// </summary>
    private static FitResult Fit(InteractionDataset dataset, TrainTestSplit split, TrainingConfig config, LossKind loss, int epochs,
        bool validate, string phase, IProgress<TrainingProgress>? progress, CancellationToken cancellationToken)
    {
        using var generator = new Generator((ulong)config.Seed);
        var trainRows = SparseRows.Build(dataset.Users.Count, dataset.Items.Count, split.TrainUsers, split.TrainItems);
        var model = Build(dataset, config, trainRows, generator);
        try
        {
            var curve = new List<EpochRecord>();
            var n = split.TrainCount;
            if (n == 0 || epochs == 0) return new FitResult(model, curve, 0);

            var validationRows = validate ? SparseRows.Build(dataset.Users.Count, dataset.Items.Count, split.TestUsers, split.TestItems) : null;
            using var trainUsers = tensor(split.TrainUsers.Select(u => (long)u).ToArray());
            using var trainItems = tensor(split.TrainItems.Select(i => (long)i).ToArray());
            using var logQ = InBatchSoftmax.LogItemFrequencies(trainRows);
            using var optimizer = CreateOptimizer(model, config);
            Dictionary<string, Tensor>? best = null;
            var bestScore = double.NegativeInfinity;
            var bestEpochs = epochs;
            EpochRecord? last = null;
            var watch = Stopwatch.StartNew();

            for (var epoch = 0; epoch < epochs; epoch++)
            {
                model.train();
                SetLearningRate(optimizer, config.LearningRate * LearningRateSchedules.Factor(config.Schedule, epoch, config.Epochs));
                var epochLoss = loss == LossKind.PerUser
                    ? PerUserEpoch(model, optimizer, trainRows, config, generator, epoch, epochs, phase, last, progress, cancellationToken)
                    : PairEpoch(model, optimizer, config, loss, generator, trainUsers, trainItems, logQ, n, epoch, epochs, phase, last, progress, cancellationToken);

                double? top10 = null, top100 = null;
                if (validationRows is not null && (config.ValidateEveryEpoch || epoch == epochs - 1))
                {
                    var (userEmbeddings, itemEmbeddings) = ServedRows.Export(model, config.Temperature);
                    using var scorer = new EmbeddingScorer(userEmbeddings, itemEmbeddings);
                    var figures = TopKEvaluator.Evaluate(scorer, trainRows, validationRows).SeenExcluded;
                    (top10, top100) = (figures["10"], figures["100"]);
                }
                last = new EpochRecord(epoch + 1, epochLoss, top10, top100, watch.Elapsed.TotalSeconds);
                curve.Add(last);
                progress?.Report(new TrainingProgress(phase, epoch, epochs, 1, 1, epochLoss, last));

                if (last.ValidationScore is not { } score) continue;
                if (score > bestScore)
                {
                    bestScore = score;
                    bestEpochs = epoch + 1;
                    DisposeAll(best);
                    best = model.state_dict().ToDictionary(p => p.Key, p => p.Value.detach().clone());
                }
                else if (epoch + 1 - bestEpochs >= config.Patience)
                {
                    break;
                }
            }
            if (best is not null)
            {
                model.load_state_dict(best);
                DisposeAll(best);
            }
            return new FitResult(model, curve, bestEpochs);
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }


    /// <summary>One epoch over the training pairs in batches of <see cref="TrainingConfig.BatchSize"/> pairs (full or in-batch softmax); the mean loss per pair.</summary>
    private static double PairEpoch(TwoTowerModel model, optim.Optimizer optimizer, TrainingConfig config, LossKind loss, Generator generator, Tensor trainUsers, Tensor trainItems,
        Tensor logQ, int n, int epoch, int epochs, string phase, EpochRecord? last, IProgress<TrainingProgress>? progress, CancellationToken cancellationToken)
    {
        using var inverseTemperature = (1.0 / config.Temperature).ToScalar();
        var reduction = config.SumLoss ? nn.Reduction.Sum : nn.Reduction.Mean;
        var batches = (n + config.BatchSize - 1) / config.BatchSize;
        double epochLoss = 0;
        using var order = randperm(n, generator: generator);
        for (var b = 0; b < batches; b++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            using var scope = NewDisposeScope();
            var start = b * config.BatchSize;
            var length = Math.Min(config.BatchSize, n - start);
            var idx = order.narrow(0, start, length);
            var users = trainUsers.index_select(0, idx);
            var items = trainItems.index_select(0, idx);

            // The temperature scales the queries (batch x dim) rather than the logits (batch x candidates): same result, a fraction of the memory traffic.
            var queries = model.UserVectors(users.data<long>().ToArray(), model.HasHistory ? items.data<long>().ToArray() : null);
            if (config.Temperature != 1) queries = queries.mul(inverseTemperature);
            Tensor logits, targets;
            if (loss == LossKind.Full)
            {
                logits = queries.matmul(model.AllItemVectors().t());
                if (model.HasItemBias) logits = logits.add(model.AllItemBiases().unsqueeze(0), model.One);
                targets = items;
            }
            else
            {
                logits = InBatchSoftmax.Logits(queries, model.ItemVectors(items),
                    config.LogQCorrection ? logQ.index_select(0, items) : null, model.One);
                if (model.HasItemBias) logits = logits.add(model.ItemBiases(items).unsqueeze(0), model.One);
                targets = arange(length, dtype: ScalarType.Int64);
            }
            double perPair = Step(optimizer, nn.functional.cross_entropy(logits, targets, reduction: reduction), epoch, b);
            if (config.SumLoss) perPair /= length;
            epochLoss += perPair * length;
            progress?.Report(new TrainingProgress(phase, epoch, epochs, b + 1, batches, perPair, last));
        }
        return epochLoss / n;
    }

    /// <summary>One epoch over the users in batches of <see cref="TrainingConfig.BatchSize"/> users (<see cref="LossKind.PerUser"/>); the mean loss per hidden pair.</summary>
    private static double PerUserEpoch(TwoTowerModel model, optim.Optimizer optimizer, SparseRows trainRows, TrainingConfig config, Generator generator, int epoch, int epochs,
        string phase, EpochRecord? last, IProgress<TrainingProgress>? progress, CancellationToken cancellationToken)
    {
        using var inverseTemperature = (1.0 / config.Temperature).ToScalar();
        var batches = (model.Users + config.BatchSize - 1) / config.BatchSize;
        double lossSum = 0, targetSum = 0;
        using var order = randperm(model.Users, generator: generator);
        var shuffled = order.data<long>().ToArray();
        for (var b = 0; b < batches; b++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            using var scope = NewDisposeScope();
            var users = shuffled.AsSpan(b * config.BatchSize, Math.Min(config.BatchSize, model.Users - b * config.BatchSize));
            var (history, targets) = PerUserSoftmax.Split(PerUserSoftmax.DenseRows(trainRows, users), config.TargetShare, generator);
            var userIndex = tensor(users.ToArray());
            var pooling = model.HasHistory ? PerUserSoftmax.PoolingWeights(history, model.Pooling) : null;
            var loss = PerUserSoftmax.Loss(PerUserLogits(model, userIndex, pooling, inverseTemperature, config.Temperature, null, null), history, targets, config.ExcludeHistoryFromSoftmax);
            var total = loss;
            if (config.IdDropout > 0 || config.EffectiveUserIdDropout > 0)
            {
                // Id dropout, as a second loss beside the full one: the same targets predicted again with a share of the
                // users and movies known by their features alone, as a new one would be served. Beside, not instead: the
                // full towers keep every step's signal.
                var keepUserId = config.EffectiveUserIdDropout > 0 ? IdDropout.KeepMask(users.Length, config.EffectiveUserIdDropout, generator) : null;
                var keepItemId = config.IdDropout > 0 ? IdDropout.KeepMask(model.Items, config.IdDropout, generator) : null;
                var dropped = PerUserLogits(model, userIndex, pooling, inverseTemperature, config.Temperature, keepUserId, keepItemId);
                total = loss.add(PerUserSoftmax.Loss(dropped, history, targets, config.ExcludeHistoryFromSoftmax));
            }
            var count = targets.sum().item<float>();
            double perPair = Step(optimizer, total, epoch, b, loss);
            lossSum += perPair * count;
            targetSum += count;
            progress?.Report(new TrainingProgress(phase, epoch, epochs, b + 1, batches, perPair, last));
        }
        return targetSum > 0 ? lossSum / targetSum : 0;
    }

    /// <summary>The per-user softmax's logits, [users, items]: queries / temperature against every movie, plus the biases; the
    /// keep masks leave those users' and movies' ids out (null keeps them all).</summary>
    private static Tensor PerUserLogits(TwoTowerModel model, Tensor users, Tensor? pooling, Scalar inverseTemperature, double temperature,
        Tensor? keepUserId, Tensor? keepItemId)
    {
        var queries = model.QueryVectors(users, pooling, keepUserId);
        if (temperature != 1) queries = queries.mul(inverseTemperature);
        var logits = queries.matmul(model.AllItemVectors(keepItemId).t());
        return model.HasItemBias ? logits.add(model.AllItemBiases(keepItemId).unsqueeze(0), model.One) : logits;
    }

    /// <summary>One optimiser step on a batch's loss; returns the loss (<paramref name="reported"/> if given: the part the
    /// curves show), refusing one that is not finite.</summary>
    private static float Step(optim.Optimizer optimizer, Tensor batchLoss, int epoch, int batch, Tensor? reported = null)
    {
        optimizer.zero_grad();
        batchLoss.backward();
        optimizer.step();
        var value = (reported ?? batchLoss).item<float>();
        if (!float.IsFinite(value))
            throw new InvalidOperationException($"the loss became {value} in epoch {epoch + 1}, batch {batch + 1}; lower --lr.");
        return value;
    }

    private static void SetLearningRate(optim.Optimizer optimizer, double rate)
    {
        foreach (var group in optimizer.ParamGroups) group.LearningRate = rate;
    }

    /// <summary>A model for the dataset with the configured features; the histories come from <paramref name="train"/>.</summary>
    public static TwoTowerModel Build(InteractionDataset dataset, TrainingConfig config, SparseRows train, Generator? generator = null)
    {
        var userFeatures = (config.Features & TowerFeatures.UserDemographics) != 0 ? FeatureEncoder.Users(dataset.Users, config.Features) : null;
        var itemFeatures = (config.Features & (TowerFeatures.Genres | TowerFeatures.Year | TowerFeatures.TitleWords)) != 0
            ? FeatureEncoder.Items(dataset.Items, config.Features) : null;
        var history = config.Features.HasFlag(TowerFeatures.History) ? train : null;
        return new TwoTowerModel(dataset.Users.Count, dataset.Items.Count, config, userFeatures, itemFeatures, history, generator);
    }

    private static optim.Optimizer CreateOptimizer(TwoTowerModel model, TrainingConfig config)
    {
        var parameters = model.parameters().ToList();
        return config.Optimizer switch
        {
            OptimizerKind.Adagrad => optim.Adagrad(parameters, lr: config.LearningRate, weight_decay: config.WeightDecay),
            _ => optim.Adam(parameters, lr: config.LearningRate, weight_decay: config.WeightDecay),
        };
    }

    private static void DisposeAll(Dictionary<string, Tensor>? tensors)
    {
        if (tensors is null) return;
        foreach (var t in tensors.Values) t.Dispose();
    }
}
