using System.Diagnostics;
using MovieRecommender.Model.Artifacts;
using MovieRecommender.Trainer.Data;
using TorchSharp;
using static TorchSharp.torch;

namespace MovieRecommender.Trainer.Training;

/// <summary>Trains a <see cref="TwoTowerModel"/> on a split's training pairs with a softmax retrieval loss.</summary>
public static class TwoTowerTrainer
{
    /// <summary>
    /// Trains on <paramref name="split"/>'s train pairs. Deterministic for a given config (seed included): the
    /// initialisation and the per-epoch shuffles draw from a private generator seeded with <c>config.Seed</c>.
    /// </summary>
    public static TrainedModel Train(InteractionDataset dataset, TrainTestSplit split, TrainingConfig config,
        IProgress<TrainingProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        config.Validate();
        torch.set_num_threads(Math.Max(1, Math.Min(config.Threads, Environment.ProcessorCount)));
        torch.random.manual_seed(config.Seed);
        using var generator = new Generator((ulong)config.Seed);

        FeatureMatrix? userFeatures = config.UseFeatures ? FeatureEncoder.Users(dataset.Users) : null;
        FeatureMatrix? itemFeatures = config.UseFeatures ? FeatureEncoder.Items(dataset.Items) : null;
        var model = new TwoTowerModel(dataset.Users.Count, dataset.Items.Count, config, userFeatures, itemFeatures, generator);
        try
        {
            var stopwatch = Stopwatch.StartNew();
            var losses = Fit(model, split, config, generator, progress, cancellationToken);
            var seconds = stopwatch.Elapsed.TotalSeconds;
            var (users, items) = Export(model);
            return new TrainedModel(model, config, users, items, losses, seconds);
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    private static List<double> Fit(TwoTowerModel model, TrainTestSplit split, TrainingConfig config, Generator generator,
        IProgress<TrainingProgress>? progress, CancellationToken cancellationToken)
    {
        var n = split.TrainCount;
        var losses = new List<double>();
        if (n == 0 || config.Epochs == 0) return losses;

        using var trainUsers = tensor(split.TrainUsers.Select(u => (long)u).ToArray());
        using var trainItems = tensor(split.TrainItems.Select(i => (long)i).ToArray());
        var parameters = model.parameters().ToList();
        using optim.Optimizer optimizer = config.Optimizer switch
        {
            OptimizerKind.Adagrad => optim.Adagrad(parameters, lr: config.LearningRate, weight_decay: config.WeightDecay),
            _ => optim.Adam(parameters, lr: config.LearningRate, weight_decay: config.WeightDecay),
        };
        var reduction = config.SumLoss ? nn.Reduction.Sum : nn.Reduction.Mean;
        var batches = (n + config.BatchSize - 1) / config.BatchSize;
        model.train();

        for (var epoch = 0; epoch < config.Epochs; epoch++)
        {
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

                var queries = model.UserVectors(users);
                Tensor logits, targets;
                if (config.Loss == LossKind.Full)
                {
                    logits = queries.matmul(model.AllItemVectors().t());
                    targets = items;
                }
                else
                {
                    logits = queries.matmul(model.ItemVectors(items).t());
                    targets = arange(length, dtype: ScalarType.Int64);
                }
                if (config.Temperature > 0) logits = logits / config.Temperature;
                var loss = nn.functional.cross_entropy(logits, targets, reduction: reduction);

                optimizer.zero_grad();
                loss.backward();
                optimizer.step();

                var batchLoss = loss.item<float>();
                var perPair = config.SumLoss ? batchLoss / length : batchLoss;
                if (!double.IsFinite(perPair))
                    throw new InvalidOperationException($"the loss became {perPair} in epoch {epoch + 1}, batch {b + 1}; lower --lr.");
                epochLoss += perPair * length;
                progress?.Report(new TrainingProgress(epoch, config.Epochs, b + 1, batches, perPair));
            }
            losses.Add(epochLoss / n);
        }
        return losses;
    }

    /// <summary>User and item matrices whose plain dot product is the model's score (1/temperature folded into the users).</summary>
    public static (EmbeddingMatrix Users, EmbeddingMatrix Items) Export(TwoTowerModel model)
    {
        model.eval();
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var users = model.UserVectors(arange(model.Users, dtype: ScalarType.Int64));
        if (model.Temperature > 0) users = users / model.Temperature;
        var items = model.AllItemVectors();
        return (ToMatrix(users), ToMatrix(items));
    }

    private static EmbeddingMatrix ToMatrix(Tensor t)
    {
        using var c = t.to_type(ScalarType.Float32).contiguous();
        return new EmbeddingMatrix((int)c.shape[0], (int)c.shape[1], c.data<float>().ToArray());
    }
}
