namespace MovieRecommender.Trainer.Training;

/// <summary>How the learning rate moves over the epochs of a run.</summary>
public enum LearningRateSchedule
{
    /// <summary>The configured rate throughout.</summary>
    Constant,

    /// <summary>Cosine decay from the configured rate to a tenth of it over <see cref="TrainingConfig.Epochs"/> epochs, so the
    /// last epochs settle instead of wandering; the refit follows the same curve as the validation run.</summary>
    Cosine,
}

public static class LearningRateSchedules
{
    /// <summary>The share of the configured rate in <paramref name="epoch"/> (0-based) of at most <paramref name="epochs"/>.</summary>
    public static double Factor(LearningRateSchedule schedule, int epoch, int epochs) => schedule switch
    {
        LearningRateSchedule.Cosine when epochs > 1 => 0.1 + 0.9 * 0.5 * (1 + Math.Cos(Math.PI * epoch / (epochs - 1))),
        _ => 1,
    };
}
