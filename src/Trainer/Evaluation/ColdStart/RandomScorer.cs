namespace MovieRecommender.Trainer.Evaluation.ColdStart;

/// <summary>Scores every movie at random (seeded, so a run repeats): the floor a cold-start figure is read against.</summary>
public sealed class RandomScorer(int items, int seed) : IUserScorer
{
    public int Items => items;

    public void Score(int firstUser, int count, double[] scores)
    {
        var random = new Random(unchecked(seed * 1_000_003 + firstUser)); // not HashCode: it differs from process to process
        for (var k = 0; k < count * items; k++) scores[k] = random.NextDouble();
    }
}
