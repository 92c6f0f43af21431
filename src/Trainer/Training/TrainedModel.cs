using MovieRecommender.Model.Artifacts;

namespace MovieRecommender.Trainer.Training;

/// <summary>
/// What training produced. The embeddings are exported so that the serving score is the plain dot product
/// <c>users[u] · items[i]</c>: with a temperature the user rows hold normalise(user) / temperature and the item
/// rows normalise(item). <see cref="EpochLosses"/> is the mean loss per training pair of each epoch.
/// </summary>
public sealed class TrainedModel(TwoTowerModel network, TrainingConfig config, EmbeddingMatrix userEmbeddings,
    EmbeddingMatrix itemEmbeddings, IReadOnlyList<double> epochLosses, double trainingSeconds) : IDisposable
{
    public TwoTowerModel Network { get; } = network;
    public TrainingConfig Config { get; } = config;
    public EmbeddingMatrix UserEmbeddings { get; } = userEmbeddings;
    public EmbeddingMatrix ItemEmbeddings { get; } = itemEmbeddings;
    public IReadOnlyList<double> EpochLosses { get; } = epochLosses;
    public double TrainingSeconds { get; } = trainingSeconds;

    /// <summary>Saves the TorchSharp weights (state dict) to a file, loadable with <c>module.load(path)</c>.</summary>
    public void SaveWeights(string path) => Network.save(path);

    public void Dispose() => Network.Dispose();
}
