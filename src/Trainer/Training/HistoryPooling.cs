namespace MovieRecommender.Trainer.Training;

/// <summary>How the history feature pools the embeddings of a user's n training movies into one vector.</summary>
public enum HistoryPooling
{
    /// <summary>Their mean (each weighs 1/n): a long history and a short one give vectors of the same size.</summary>
    Mean,

    /// <summary>Their sum over √n (each weighs 1/√n, as in SVD++): a longer history gives a surer, longer vector.</summary>
    SquareRoot,
}
