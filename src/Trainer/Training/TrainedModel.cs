using MovieRecommender.Artifacts;
using MovieRecommender.Artifacts.Towers;

namespace MovieRecommender.Trainer.Training;

/// <summary>
/// What training produced. The embeddings are exported so that the serving score is the plain dot product
/// <c>users[u] · items[i]</c> (normalisation and 1/temperature folded into the user rows).
/// <see cref="ValidationCurve"/> is the validation run that chose <see cref="Epochs"/> (empty without one);
/// <see cref="FinalCurve"/> the run whose weights these are.
/// </summary>
public sealed class TrainedModel(TwoTowerModel network, TrainingConfig config, LossKind loss, int epochs, EmbeddingMatrix userEmbeddings,
    EmbeddingMatrix itemEmbeddings, IReadOnlyList<EpochRecord> validationCurve, IReadOnlyList<EpochRecord> finalCurve, double trainingSeconds, FeatureTowers? towers = null) : IDisposable
{
    public TwoTowerModel Network { get; } = network;
    public TrainingConfig Config { get; } = config;

    /// <summary>The loss used, <see cref="LossKind.Auto"/> resolved.</summary>
    public LossKind Loss { get; } = loss;

    /// <summary>The epochs the final weights were trained for.</summary>
    public int Epochs { get; } = epochs;
    public EmbeddingMatrix UserEmbeddings { get; } = userEmbeddings;
    public EmbeddingMatrix ItemEmbeddings { get; } = itemEmbeddings;
    public IReadOnlyList<EpochRecord> ValidationCurve { get; } = validationCurve;
    public IReadOnlyList<EpochRecord> FinalCurve { get; } = finalCurve;
    public IReadOnlyList<double> EpochLosses => FinalCurve.Select(e => e.Loss).ToList();
    public double TrainingSeconds { get; } = trainingSeconds;

    /// <summary>What serving embeds new movies and users with (null for a model without movie features).</summary>
    public FeatureTowers? Towers { get; } = towers;

    /// <summary>Saves the TorchSharp weights (state dict) to a file, loadable with <c>module.load(path)</c>.</summary>
    public void SaveWeights(string path) => Network.save(path);

    public void Dispose() => Network.Dispose();
}
