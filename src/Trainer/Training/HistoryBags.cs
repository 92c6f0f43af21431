using MovieRecommender.Trainer.Evaluation;

namespace MovieRecommender.Trainer.Training;

/// <summary>
/// The history feature's input for a batch: each user's training movies as one bag, flattened, with the
/// movie being predicted hidden from its own user's bag (otherwise the model learns to copy it out of the
/// history). Every entry weighs 1 / (bag size), so summing a bag's embeddings gives its mean, or with
/// <see cref="HistoryPooling.SquareRoot"/> 1 / √(bag size).
/// </summary>
public sealed record HistoryBags(long[] Items, long[] Bags, float[] Weights)
{
    /// <param name="history">Each user's training movies.</param>
    /// <param name="users">The batch's users, one bag each.</param>
    /// <param name="hidden">Per bag, the movie to hide (the training target), or null to keep every movie.</param>
    /// <param name="pooling">The weight of each of a bag's n entries: 1/n or 1/√n.</param>
    public static HistoryBags Build(SparseRows history, ReadOnlySpan<long> users, ReadOnlySpan<long> hidden, HistoryPooling pooling = HistoryPooling.Mean)
    {
        if (!hidden.IsEmpty && hidden.Length != users.Length)
            throw new ArgumentException($"{hidden.Length} hidden movies for {users.Length} users.");
        var total = 0;
        foreach (var u in users) total += history.Row((int)u).Length;
        var items = new List<long>(total);
        var bags = new List<long>(total);
        var weights = new List<float>(total);
        for (var b = 0; b < users.Length; b++)
        {
            var row = history.Row((int)users[b]);
            var hide = hidden.IsEmpty ? -1 : hidden[b];
            var size = row.Length - (hide >= 0 && row.BinarySearch((int)hide) >= 0 ? 1 : 0);
            if (size == 0) continue;
            var weight = pooling == HistoryPooling.SquareRoot ? 1f / MathF.Sqrt(size) : 1f / size;
            foreach (var item in row)
            {
                if (item == hide) continue;
                items.Add(item);
                bags.Add(b);
                weights.Add(weight);
            }
        }
        return new HistoryBags([.. items], [.. bags], [.. weights]);
    }
}
