namespace MovieRecommender.Trainer.Evaluation;

/// <summary>The popularity baseline: every user scores a movie by its number of training interactions.</summary>
public sealed class PopularityBaseline(SparseRows train) : IUserScorer
{
    private readonly int[] counts = train.ItemCounts();

    public int Items => counts.Length;

    public void Score(int firstUser, int count, double[] scores)
    {
        for (var r = 0; r < count; r++)
            for (var i = 0; i < counts.Length; i++)
                scores[r * counts.Length + i] = counts[i];
    }
}
