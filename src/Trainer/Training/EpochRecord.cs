namespace MovieRecommender.Trainer.Training;

/// <summary>One point of a learning curve: an epoch's mean training loss and, on a validation run, the
/// seen-excluded top-10 and top-100 accuracy on the validation pairs after it.</summary>
public sealed record EpochRecord(int Epoch, double Loss, double? ValidationTop10, double? ValidationTop100, double Seconds)
{
    /// <summary>What early stopping maximises: both headline figures, equally weighted.</summary>
    public double? ValidationScore => ValidationTop10 is { } top10 && ValidationTop100 is { } top100 ? (top10 + top100) / 2 : null;
}
