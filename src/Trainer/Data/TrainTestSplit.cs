namespace MovieRecommender.Trainer.Data;

/// <summary>
/// The seeded random split of EVALUATION.md: the unique pairs in the dataset's fixed order, shuffled by a
/// Fisher–Yates shuffle driven by <c>System.Random(seed)</c>; the first 80% train, the rest test. For ML-100K
/// (943 users, more than 80,000 pairs) train is exactly 80,000 pairs, as in the PyTorch reference.
/// </summary>
public sealed record TrainTestSplit(int Seed, int[] TrainUsers, int[] TrainItems, int[] TestUsers, int[] TestItems)
{
    public int TrainCount => TrainUsers.Length;
    public int TestCount => TestUsers.Length;

    public static int TrainSize(int pairs, int users) =>
        pairs > 80_000 && users == 943 ? 80_000 : (int)(0.8 * pairs);

    public static TrainTestSplit Create(InteractionDataset dataset, int seed) =>
        Create(dataset.PairUsers, dataset.PairItems, TrainSize(dataset.PairCount, dataset.Users.Count), seed);

    /// <summary>Shuffles the pairs with the seed and takes the first <paramref name="trainCount"/> as train.</summary>
    public static TrainTestSplit Create(int[] users, int[] items, int trainCount, int seed)
    {
        if (users.Length != items.Length) throw new ArgumentException("users and items differ in length.");
        ArgumentOutOfRangeException.ThrowIfNegative(trainCount);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(trainCount, users.Length);
        var order = Permutation(users.Length, seed);
        var trainUsers = new int[trainCount];
        var trainItems = new int[trainCount];
        var testUsers = new int[users.Length - trainCount];
        var testItems = new int[users.Length - trainCount];
        for (var k = 0; k < order.Length; k++)
        {
            var p = order[k];
            if (k < trainCount) { trainUsers[k] = users[p]; trainItems[k] = items[p]; }
            else { testUsers[k - trainCount] = users[p]; testItems[k - trainCount] = items[p]; }
        }
        return new TrainTestSplit(seed, trainUsers, trainItems, testUsers, testItems);
    }

    /// <summary>Carves a validation split out of this split's train pairs (for tuning without touching test):
    /// the returned split's train is the rest of train, its test is the validation pairs.</summary>
    public TrainTestSplit CarveValidation(double validationFraction, int seed)
    {
        var validation = (int)(TrainCount * validationFraction);
        return Create(TrainUsers, TrainItems, TrainCount - validation, seed);
    }

    /// <summary>A Fisher–Yates permutation of 0..n-1 from <c>System.Random(seed)</c>.</summary>
    public static int[] Permutation(int n, int seed)
    {
        var order = new int[n];
        for (var k = 0; k < n; k++) order[k] = k;
        var random = new Random(seed);
        for (var k = n - 1; k > 0; k--)
        {
            var j = random.Next(k + 1);
            (order[k], order[j]) = (order[j], order[k]);
        }
        return order;
    }
}
