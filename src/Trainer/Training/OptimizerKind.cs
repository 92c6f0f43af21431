namespace MovieRecommender.Trainer.Training;

public enum OptimizerKind
{
    Adam,
    Adagrad,
}
