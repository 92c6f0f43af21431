using System.Globalization;
using System.Text.Json.Nodes;

namespace MovieRecommender.Trainer.Training;

/// <summary>Hyper-parameters of the two-tower model and its training loop.</summary>
public sealed record TrainingConfig
{
    public string Preset { get; init; } = "custom";
    public int Dimension { get; init; } = 64;
    public int Epochs { get; init; } = 15;
    public int BatchSize { get; init; } = 1024;
    public double LearningRate { get; init; } = 0.005;
    public double WeightDecay { get; init; }
    public OptimizerKind Optimizer { get; init; } = OptimizerKind.Adam;
    public LossKind Loss { get; init; } = LossKind.Full;

    /// <summary>&gt; 0: towers are L2-normalised and scores divided by it (cosine / temperature); 0: plain dot product.</summary>
    public double Temperature { get; init; }

    /// <summary>Sum the cross-entropy over the batch (the notebook's Keras default) instead of averaging it.</summary>
    public bool SumLoss { get; init; }

    /// <summary>Add user feature and item feature embeddings to the id embeddings.</summary>
    public bool UseFeatures { get; init; }

    /// <summary>Embeddings start uniform in [-InitScale, InitScale].</summary>
    public double InitScale { get; init; } = 0.05;

    public int Seed { get; init; } = 42;
    public int Threads { get; init; } = 2;

    /// <summary>The original notebook's configuration, as the PyTorch reference runs it by default.</summary>
    public static TrainingConfig Notebook { get; } = new()
    {
        Preset = "notebook",
        Dimension = 32,
        Epochs = 3,
        BatchSize = 8192,
        LearningRate = 0.1,
        Optimizer = OptimizerKind.Adagrad,
        Loss = LossKind.InBatch,
        Temperature = 0,
        SumLoss = true,
        UseFeatures = false,
        InitScale = 0.05,
    };

    /// <summary>The good model: ids plus features, full softmax, cosine / temperature, Adam with weight decay.</summary>
    public static TrainingConfig Default { get; } = new()
    {
        Preset = "default",
        Dimension = 64,
        Epochs = 15,
        BatchSize = 1024,
        LearningRate = 0.005,
        WeightDecay = 1e-5,
        Optimizer = OptimizerKind.Adam,
        Loss = LossKind.Full,
        Temperature = 0.2,
        SumLoss = false,
        UseFeatures = true,
        InitScale = 0.05,
    };

    public static TrainingConfig FromPreset(string name) => name.ToLowerInvariant() switch
    {
        "default" => Default,
        "notebook" => Notebook,
        _ => throw new ArgumentException($"unknown preset '{name}'; use default or notebook."),
    };

    /// <summary>Checks ranges; the message names the offending option.</summary>
    public void Validate()
    {
        if (Dimension < 1) throw new ArgumentException($"--dim must be at least 1 (got {Dimension}).");
        if (Epochs < 0) throw new ArgumentException($"--epochs must be 0 or more (got {Epochs}).");
        if (BatchSize < 1) throw new ArgumentException($"--batch must be at least 1 (got {BatchSize}).");
        if (!(LearningRate > 0) || double.IsInfinity(LearningRate)) throw new ArgumentException($"--lr must be a positive number (got {LearningRate.ToString(CultureInfo.InvariantCulture)}).");
        if (!(WeightDecay >= 0) || double.IsInfinity(WeightDecay)) throw new ArgumentException($"--weight-decay must be 0 or more (got {WeightDecay.ToString(CultureInfo.InvariantCulture)}).");
        if (!(Temperature >= 0) || double.IsInfinity(Temperature)) throw new ArgumentException($"--temperature must be 0 (plain dot product) or positive (got {Temperature.ToString(CultureInfo.InvariantCulture)}).");
        if (!(InitScale > 0)) throw new ArgumentException($"the init scale must be positive (got {InitScale.ToString(CultureInfo.InvariantCulture)}).");
        if (Threads < 1) throw new ArgumentException($"--threads must be at least 1 (got {Threads}).");
    }

    public JsonObject ToJson() => new()
    {
        ["preset"] = Preset,
        ["dim"] = Dimension,
        ["epochs"] = Epochs,
        ["batch"] = BatchSize,
        ["lr"] = LearningRate,
        ["weightDecay"] = WeightDecay,
        ["optimizer"] = Optimizer.ToString().ToLowerInvariant(),
        ["loss"] = Loss == LossKind.Full ? "full" : "in-batch",
        ["lossReduction"] = SumLoss ? "sum" : "mean",
        ["temperature"] = Temperature,
        ["features"] = UseFeatures,
        ["initScale"] = InitScale,
        ["threads"] = Threads,
        ["seed"] = Seed,
    };
}
