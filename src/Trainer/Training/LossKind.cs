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
}
