namespace MovieRecommender.Trainer.Training;

/// <summary>
/// Reported after every batch. <paramref name="Phase"/> is "validation run" (choosing the epoch count on the
/// validation split) or "final run"; <paramref name="Loss"/> is that batch's loss per training pair;
/// <paramref name="LastEpoch"/> is the latest finished epoch, with its validation figures when there are any.
/// </summary>
public sealed record TrainingProgress(string Phase, int Epoch, int Epochs, int Batch, int BatchesPerEpoch, double Loss, EpochRecord? LastEpoch = null)
{
    public double Fraction => Epochs == 0 ? 1 : ((double)Epoch * BatchesPerEpoch + Batch) / ((double)Epochs * BatchesPerEpoch);
}
