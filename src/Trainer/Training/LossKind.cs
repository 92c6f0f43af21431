namespace MovieRecommender.Trainer.Training;

/// <summary>Which candidates each training pair's softmax runs over.</summary>
public enum LossKind
{
    /// <summary>Every movie of the catalog (exact; cheap for a few thousand movies).</summary>
    Full,

    /// <summary>The other movies of the batch (the TFRS / notebook approach; biased towards popular movies).</summary>
    InBatch,
}
