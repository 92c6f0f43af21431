using MovieRecommender.Trainer.Evaluation;
using TorchSharp;
using static TorchSharp.torch;

namespace MovieRecommender.Trainer.Training;

/// <summary>
/// The pieces of <see cref="LossKind.InBatch"/>: each pair's movie is scored against the other movies of its batch
/// only, so popular movies are over-represented as negatives; the log-Q correction takes their sampling
/// probability back out.
/// </summary>
public static class InBatchSoftmax
{
    /// <summary>
    /// In-batch sampled softmax logits: row b scores query b (already divided by the temperature) against every
    /// candidate of the batch. With <paramref name="logQ"/> (log sampling probability of each column's candidate),
    /// it is subtracted from its column: a popular movie shows up as a negative more often than a rare one,
    /// and the correction keeps the softmax an unbiased estimate of the full one (Yi et al., RecSys 2019).
    /// </summary>
    public static Tensor Logits(Tensor queries, Tensor candidates, Tensor? logQ, Scalar one)
    {
        var logits = queries.matmul(candidates.t());
        return logQ is null ? logits : logits.add(logQ.unsqueeze(0).neg(), one);
    }

    /// <summary>log(count / total) of every movie among the training pairs: its probability of being sampled in a batch.</summary>
    public static Tensor LogItemFrequencies(SparseRows train)
    {
        var counts = train.ItemCounts();
        var total = Math.Max(1, counts.Sum(c => (long)c));
        return tensor(counts.Select(c => (float)Math.Log(Math.Max(1, c) / (double)total)).ToArray());
    }
}
