namespace MovieRecommender.Trainer.Evaluation;

/// <summary>Scores every movie for a block of consecutive users; higher is better.</summary>
public interface IUserScorer
{
    int Items { get; }

    /// <summary>Writes the scores of users <c>firstUser .. firstUser+count-1</c> into <paramref name="scores"/>,
    /// row-major: <c>scores[r * Items + i]</c> is user <c>firstUser + r</c>'s score of item i.</summary>
    void Score(int firstUser, int count, double[] scores);
}
