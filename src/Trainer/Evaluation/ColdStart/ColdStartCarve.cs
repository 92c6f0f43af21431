using MovieRecommender.Trainer.Data;

namespace MovieRecommender.Trainer.Evaluation.ColdStart;

/// <summary>
/// The carves of a cold-start evaluation: a seeded share of the movies (or users) held out with every rating of them, and
/// the dataset that is left to train on. A held-out movie leaves the catalogue altogether: kept, it would be one of the
/// softmax's negatives at every step, and the model would learn that it is never watched, which a new movie is not.
/// </summary>
public static class ColdStartCarve
{
    /// <summary>The share of movies, and of users, held out.</summary>
    public const double HeldOutShare = 0.1;

    /// <summary>The indexes 0..count-1 held out with <paramref name="seed"/>: the first <see cref="HeldOutShare"/> of a seeded shuffle (at least one), ascending.</summary>
    public static int[] HeldOut(int count, int seed)
    {
        var take = Math.Max(1, (int)Math.Round(count * HeldOutShare));
        var chosen = TrainTestSplit.Permutation(count, seed).Take(Math.Min(take, count)).ToArray();
        Array.Sort(chosen);
        return chosen;
    }

    /// <summary>The dataset without the held-out movies and their pairs; <c>Original[k]</c> is the full dataset's index of movie k of the rest.</summary>
    public static (InteractionDataset Remaining, int[] Original) WithoutMovies(InteractionDataset dataset, IReadOnlyCollection<int> heldOut)
    {
        var heldOutSet = new HashSet<int>(heldOut);
        var original = Enumerable.Range(0, dataset.Items.Count).Where(i => !heldOutSet.Contains(i)).ToArray();
        var index = new int[dataset.Items.Count];
        Array.Fill(index, -1);
        for (var k = 0; k < original.Length; k++) index[original[k]] = k;
        var users = new List<int>();
        var items = new List<int>();
        for (var p = 0; p < dataset.PairCount; p++)
        {
            if (index[dataset.PairItems[p]] < 0) continue;
            users.Add(dataset.PairUsers[p]);
            items.Add(index[dataset.PairItems[p]]);
        }
        var rest = new InteractionDataset(dataset.Name, dataset.Layout, dataset.Users, original.Select(i => dataset.Items[i]).ToList(),
            users.ToArray(), items.ToArray(), users.Count);
        return (rest, original);
    }

    /// <summary>The dataset without the held-out users' pairs; the users themselves stay (without a pair, training never moves their ids).</summary>
    public static InteractionDataset WithoutUsersPairs(InteractionDataset dataset, IReadOnlyCollection<int> heldOut)
    {
        var heldOutSet = new HashSet<int>(heldOut);
        var keep = Enumerable.Range(0, dataset.PairCount).Where(p => !heldOutSet.Contains(dataset.PairUsers[p])).ToArray();
        return new InteractionDataset(dataset.Name, dataset.Layout, dataset.Users, dataset.Items,
            keep.Select(p => dataset.PairUsers[p]).ToArray(), keep.Select(p => dataset.PairItems[p]).ToArray(), keep.Length);
    }

    /// <summary>
    /// The seeded 80/20 split of what is left: 80% of its pairs exactly (not <see cref="TrainTestSplit.TrainSize"/>'s 80,000 of
    /// ML-100K, which would train on far more than 80% of a dataset a tenth smaller).
    /// </summary>
    public static TrainTestSplit Split(InteractionDataset dataset, int seed) =>
        TrainTestSplit.Create(dataset.PairUsers, dataset.PairItems, (int)(0.8 * dataset.PairCount), seed);

    /// <summary>The dataset whose pairs are a split's training pairs alone: what a validation carve is drawn from, the test pairs never in it.</summary>
    public static InteractionDataset TrainingPairsOnly(InteractionDataset dataset, TrainTestSplit split) =>
        new(dataset.Name, dataset.Layout, dataset.Users, dataset.Items, split.TrainUsers, split.TrainItems, split.TrainCount);
}
