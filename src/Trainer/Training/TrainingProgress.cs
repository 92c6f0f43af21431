namespace MovieRecommender.Trainer.Training;

/// <summary>Reported after every batch. <paramref name="Loss"/> is that batch's loss per training pair.</summary>
public sealed record TrainingProgress(int Epoch, int Epochs, int Batch, int BatchesPerEpoch, double Loss)
{
    public double Fraction => Epochs == 0 ? 1 : ((double)Epoch * BatchesPerEpoch + Batch) / ((double)Epochs * BatchesPerEpoch);
}
