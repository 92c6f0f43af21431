namespace MovieRecommender.Trainer.Training;

/// <summary>Which candidates each training pair's softmax runs over.</summary>
public enum LossKind
{
    /// <summary>Full softmax when the catalogue fits (<see cref="TrainingConfig.FullSoftmaxBudget"/>), else in-batch.</summary>
    Auto,

    /// <summary>Every movie of the catalogue: exact, and cheap while batch x movies logits fit in memory.</summary>
    Full,

    /// <summary>The other movies of the batch (sampled softmax, the notebook's loss); scales to any catalogue,
    /// biased towards popular movies unless log-Q corrected.</summary>
    InBatch,

    /// <summary>Batches of users: each step hides a random share (<see cref="TrainingConfig.TargetShare"/>) of every user's
    /// training movies from its history and predicts them with a softmax over every movie (the history's own left out,
    /// as serving leaves seen movies out). One row per user instead of one per pair: the cost of an epoch is users x
    /// movies, not pairs x movies.</summary>
    PerUser,
}
