using TorchSharp;
using static TorchSharp.torch;

namespace MovieRecommender.Trainer.Training;

/// <summary>
/// Which rows keep their id embedding this step (<see cref="TrainingConfig.IdDropout"/>): a row is dropped with the given
/// probability, drawn from the training generator so that a seed still gives the same run.
/// </summary>
public static class IdDropout
{
    /// <summary>[rows, 1] of 1 (keep the id) and 0 (leave it out), each row dropped with probability <paramref name="share"/>.</summary>
    public static Tensor KeepMask(long rows, double share, Generator? generator)
    {
        using var scope = NewDisposeScope();
        using var threshold = share.ToScalar();
        return rand([rows, 1], generator: generator).ge(threshold).to_type(ScalarType.Float32).MoveToOuterDisposeScope();
    }
}
