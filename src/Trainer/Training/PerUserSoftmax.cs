using MovieRecommender.Trainer.Evaluation;
using TorchSharp;
using static TorchSharp.torch;

namespace MovieRecommender.Trainer.Training;

/// <summary>
/// The pieces of <see cref="LossKind.PerUser"/>: each step takes a batch of users, hides a random share of each one's
/// training movies from its history (the targets) and scores every movie with one softmax per user, the movies left in
/// the history excluded. Every target counts as one pair, so the loss is the mean cross-entropy per hidden pair, as
/// the per-pair losses report theirs.
/// </summary>
public static class PerUserSoftmax
{
    /// <summary>What a logit is set to for a movie the softmax leaves out: far below any score, and still finite so that
    /// a zero target times its log-probability stays zero.</summary>
    public const float Excluded = -1e4f;

    /// <summary>The users' training movies as dense 0/1 rows, [users, movies].</summary>
    public static Tensor DenseRows(SparseRows rows, ReadOnlySpan<long> users)
    {
        var values = new float[(long)users.Length * rows.ItemCount];
        for (var r = 0; r < users.Length; r++)
            foreach (var i in rows.Row((int)users[r])) values[(long)r * rows.ItemCount + i] = 1;
        return tensor(values, [users.Length, rows.ItemCount]);
    }

    /// <summary>Splits dense rows into (history, targets): each movie becomes a target with probability <paramref name="targetShare"/>.</summary>
    public static (Tensor History, Tensor Targets) Split(Tensor rows, double targetShare, Generator? generator)
    {
        using var share = targetShare.ToScalar();
        var hidden = rand(rows.shape, generator: generator).lt(share).to_type(rows.dtype);
        var targets = rows.mul(hidden);
        return (rows.sub(targets), targets);
    }

    /// <summary>The history rows as pooling weights: each movie of a row weighs 1/n or 1/√n (n its movies; an empty row stays zeros).</summary>
    public static Tensor PoolingWeights(Tensor history, HistoryPooling pooling)
    {
        using var one = 1.ToScalar();
        var counts = history.sum(1, keepdim: true).clamp_min(one);
        return history.div(pooling == HistoryPooling.SquareRoot ? counts.sqrt() : counts);
    }

    /// <summary>
    /// Sum over every target of -log softmax(logits)[target], divided by the number of targets (at least 1); with
    /// <paramref name="excludeHistory"/>, the history's movies are out of the softmax.
    /// </summary>
    public static Tensor Loss(Tensor logits, Tensor history, Tensor targets, bool excludeHistory)
    {
        using var zero = 0.ToScalar();
        using var one = 1.ToScalar();
        using var excluded = Excluded.ToScalar();
        if (excludeHistory) logits = logits.masked_fill(history.gt(zero), excluded);
        var logProbabilities = nn.functional.log_softmax(logits, 1);
        return logProbabilities.mul(targets).sum().neg().div(targets.sum().clamp_min(one));
    }
}
