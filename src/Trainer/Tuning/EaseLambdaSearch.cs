using MovieRecommender.Artifacts;
using MovieRecommender.Trainer.Evaluation;

namespace MovieRecommender.Trainer.Tuning;

/// <summary>EASE at one λ on held-out pairs, seen excluded.</summary>
public sealed record EaseLambdaTrial(double Lambda, double Top10, double Top100);

/// <summary>The λ grid's figures and the λ chosen from them; <see cref="Evaluations"/> holds each λ's whole evaluation
/// (both rankings, every K), so that a table of the same pairs need not fit EASE again.</summary>
public sealed record EaseLambdaChoice(double Lambda, IReadOnlyList<EaseLambdaTrial> Trials, IReadOnlyDictionary<double, MethodEvaluation> Evaluations)
{
    public EaseLambdaTrial Chosen => Trials.Single(t => t.Lambda == Lambda);

    /// <summary>The best top-10 and the best top-100 of the grid, each at its own λ: the strictest bar the grid gives.</summary>
    public (EaseLambdaTrial Top10, EaseLambdaTrial Top100) BestAtEachK =>
        (Trials.MaxBy(t => t.Top10)!, Trials.MaxBy(t => t.Top100)!);
}

/// <summary>
/// Chooses EASE's λ from a grid on held-out pairs: EASE's regularisation depends on the data's density (200 beat 500 on
/// a MovieLens release nobody tuned for), so a fixed λ can only make the baseline weaker than EASE can be on the data.
/// The choice maximises <see cref="ValidationScore"/> against the grid's own best at each K.
/// </summary>
public static class EaseLambdaSearch
{
    public static readonly double[] Grid = [50, 100, 200, 500, 1000, 2000];

    public static EaseLambdaChoice Run(SparseRows train, SparseRows heldOut, IReadOnlyList<double>? grid = null, CancellationToken cancellationToken = default)
    {
        var trials = new List<EaseLambdaTrial>();
        var evaluations = new Dictionary<double, MethodEvaluation>();
        foreach (var lambda in grid ?? Grid)
        {
            cancellationToken.ThrowIfCancellationRequested();
            using var ease = new EaseBaseline(train, lambda);
            var evaluation = evaluations[lambda] = TopKEvaluator.Evaluate(ease, train, heldOut);
            trials.Add(new EaseLambdaTrial(lambda, evaluation.SeenExcluded["10"], evaluation.SeenExcluded["100"]));
        }
        var best10 = trials.Max(t => t.Top10);
        var best100 = trials.Max(t => t.Top100);
        // Ties go to the larger λ (the grid's order reversed): the smoother model.
        var chosen = trials.AsEnumerable().Reverse().MaxBy(t => ValidationScore.Of(t.Top10, t.Top100, best10, best100))!;
        return new EaseLambdaChoice(chosen.Lambda, trials, evaluations);
    }
}
