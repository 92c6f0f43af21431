using System.Globalization;
using System.Text.Json.Nodes;
using MovieRecommender.Trainer.Training;

namespace MovieRecommender.Trainer.Tuning;

/// <summary>One configuration tried: its settings, its validation figures (seen excluded) and its cost.</summary>
public sealed record TuningTrial(string Change, double Temperature, int Epochs, double LearningRate, double WeightDecay,
    double Top10, double Top100, double Score, double Seconds);

/// <summary>
/// What the search tried and chose: every trial in order, the configuration the final run trains, EASE's λ chosen
/// on the same validation pairs (its figures the reference of every trial's <see cref="TuningTrial.Score"/>), and what it cost.
/// </summary>
public sealed record TuningResult(TrainingConfig Chosen, IReadOnlyList<TuningTrial> Trials, EaseLambdaChoice Ease, double ValidationFraction,
    int BudgetEpochs, int EpochsSpent, double Seconds)
{
    /// <summary>The trial of the chosen settings (not always the highest score: a change must win by a margin); null when
    /// the budget did not allow trying them (then the start's settings, or its schedule length, are kept untried).</summary>
    public TuningTrial? ChosenTrial => Trials.FirstOrDefault(t => t.Temperature == Chosen.Temperature && t.Epochs == Chosen.Epochs
        && t.LearningRate == Chosen.LearningRate && t.WeightDecay == Chosen.WeightDecay);

    public JsonObject ToJson() => new()
    {
        ["validationFraction"] = ValidationFraction,
        ["metric"] = "mean of seen-excluded top-10 and top-100 on the validation pairs, each as a ratio to EASE's (chosen λ) on them",
        ["budgetEpochs"] = BudgetEpochs,
        ["epochsSpent"] = EpochsSpent,
        ["seconds"] = Math.Round(Seconds, 3),
        ["chosen"] = new JsonObject
        {
            ["temperature"] = Chosen.Temperature,
            ["epochs"] = Chosen.Epochs,
            ["lr"] = Chosen.LearningRate,
            ["weightDecay"] = Chosen.WeightDecay,
        },
        ["trials"] = new JsonArray(Trials.Select(t => (JsonNode)new JsonObject
        {
            ["change"] = t.Change,
            ["temperature"] = t.Temperature,
            ["epochs"] = t.Epochs,
            ["lr"] = t.LearningRate,
            ["weightDecay"] = t.WeightDecay,
            ["validationTop10"] = Math.Round(t.Top10, 6),
            ["validationTop100"] = Math.Round(t.Top100, 6),
            ["score"] = Math.Round(t.Score, 6),
            ["seconds"] = Math.Round(t.Seconds, 3),
        }).ToArray()),
        ["ease"] = EaseJson(Ease),
    };

    public static JsonObject EaseJson(EaseLambdaChoice ease) => new()
    {
        ["lambda"] = ease.Lambda,
        ["grid"] = new JsonArray(ease.Trials.Select(t => (JsonNode)new JsonObject
        {
            ["lambda"] = t.Lambda,
            ["top10"] = Math.Round(t.Top10, 6),
            ["top100"] = Math.Round(t.Top100, 6),
        }).ToArray()),
    };

    public static string Describe(TrainingConfig config) => string.Create(CultureInfo.InvariantCulture,
        $"temperature {config.Temperature}, {config.Epochs} epochs, lr {config.LearningRate}, weight decay {config.WeightDecay}");
}
