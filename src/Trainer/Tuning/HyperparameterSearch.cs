using System.Diagnostics;
using System.Globalization;
using MovieRecommender.Trainer.Data;
using MovieRecommender.Trainer.Training;

namespace MovieRecommender.Trainer.Tuning;

/// <summary>
/// Chooses the settings that move with the data (temperature, learning rate, weight decay, length of the schedule) on
/// validation pairs carved from the training pairs: the test pairs are never read. Every trial trains on the training
/// pairs less the validation pairs and is scored once, after its last epoch, by <see cref="ValidationScore"/> against
/// EASE at its λ chosen on the same pairs.
/// <list type="number">
/// <item>Screening, on a schedule of half the epochs: the start, then one setting at a time in <see cref="Steps"/>' order
/// (coordinate search), each step keeping a value only if it beats the best so far by <see cref="MinImprovement"/>.</item>
/// <item>The schedule: the screened best on the start's full epochs, then on twice as many while the budget allows; the
/// longer schedule is kept unless a shorter one beats it by <see cref="MinImprovement"/>.</item>
/// </list>
/// The margin keeps the start's settings (chosen on MovieLens 100K) unless the data clearly prefers others: a top-10
/// figure near 0.15 on ML-100K's 8,000 validation pairs has a standard error of about 0.004, 2.5% of it. The budget counts epochs, not seconds, so the
/// choice does not depend on how busy the machine is, and its cost scales with the data as an epoch's does.
/// </summary>
public static class HyperparameterSearch
{
    public const double ValidationFraction = TrainingConfig.ProbeValidationFraction;

    /// <summary>
    /// The budget: this many runs of the starting configuration's epochs: the five screening trials and the full schedule.
    /// Trials train on 90% of the pairs but pay for setting up and scoring; the tuning benchmark reports the time they
    /// take as a multiple of the final run's.
    /// </summary>
    public const double DefaultBudgetRuns = 3.5;

    /// <summary>How much a change must raise the validation score to be kept (0.005: half a percent of EASE's figures).</summary>
    public const double MinImprovement = 0.005;

    public const string Phase = "tuning";

    public const string Temperature = "temperature";
    public const string Epochs = "epochs";
    public const string LearningRate = "learning rate";
    public const string WeightDecay = "weight decay";

    /// <summary>One setting and the values to try beside the current best's.</summary>
    public sealed record Step(string Setting, Func<TrainingConfig, IEnumerable<TrainingConfig>> Alternatives);

    /// <summary>
    /// The screening's steps, most telling first: across the tuning benchmark's datasets the temperature moved
    /// the validation figures most, then the learning rate (higher on sparser data); weight decay little. Raising the
    /// learning rate and the weight decay is what helped there; lowering either never won by the margin, so it is not tried.
    /// </summary>
    public static readonly IReadOnlyList<Step> Steps =
    [
        new(Temperature, c => [c with { Temperature = Round(c.Temperature * 0.6) }, c with { Temperature = Round(c.Temperature * 1.6) }]),
        new(LearningRate, c => [c with { LearningRate = Round(c.LearningRate * 2) }]),
        new(WeightDecay, c => [c with { WeightDecay = c.WeightDecay > 0 ? Round(c.WeightDecay * 10) : 1e-5 }]),
    ];

    /// <param name="fixedSettings">Settings to leave as <paramref name="start"/> has them (the user gave them).</param>
    public static TuningResult Run(InteractionDataset dataset, TrainTestSplit split, TrainingConfig start, IReadOnlySet<string>? fixedSettings = null,
        double budgetRuns = DefaultBudgetRuns, IProgress<TrainingProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        var watch = Stopwatch.StartNew();
        var ease = TrainingPipeline.EaseOnValidation(dataset, split, start, cancellationToken);
        var reference = ease.Chosen;

        var budget = (int)Math.Round(budgetRuns * Math.Max(1, start.Epochs));
        var spent = 0;
        var trials = new List<TuningTrial>();
        var scores = new Dictionary<TrainingConfig, double>();

        double? Try(TrainingConfig config, string change)
        {
            if (scores.TryGetValue(config, out var known)) return known;
            if (spent + config.Epochs > budget) return null;
            config.Validate();
            spent += config.Epochs;
            var trialWatch = Stopwatch.StartNew();
            using var model = TwoTowerTrainer.Train(dataset, split, AsTrial(config), Rename(progress, $"{Phase} {trials.Count + 1}: {change}"), cancellationToken);
            var last = model.ValidationCurve[^1];
            var (top10, top100) = (last.ValidationTop10 ?? 0, last.ValidationTop100 ?? 0);
            var score = ValidationScore.Of(top10, top100, reference.Top10, reference.Top100);
            trials.Add(new TuningTrial(change, config.Temperature, config.Epochs, config.LearningRate, config.WeightDecay, top10, top100, score,
                trialWatch.Elapsed.TotalSeconds));
            scores[config] = score;
            return score;
        }

        var tuneEpochs = fixedSettings?.Contains(Epochs) != true && start.Epochs > 1;
        var best = tuneEpochs ? start with { Epochs = start.Epochs / 2 } : start;
        if (Try(best, tuneEpochs ? $"start, {best.Epochs} epochs" : "start") is not { } bestScore)
            return new TuningResult(start, trials, ease, ValidationFraction, budget, spent, watch.Elapsed.TotalSeconds); // no budget for a trial
        foreach (var step in Steps.Where(s => fixedSettings?.Contains(s.Setting) != true))
        {
            var (stepBest, stepScore) = (best, bestScore);
            foreach (var alternative in step.Alternatives(best))
                if (Try(alternative, $"{step.Setting} {Value(step.Setting, alternative)}") is { } score && score > stepScore + MinImprovement)
                    (stepBest, stepScore) = (alternative, score);
            (best, bestScore) = (stepBest, stepScore);
        }
        if (tuneEpochs)
        {
            // Longer schedules, each kept unless the shorter best so far beats it by the margin. Screening ran short only to
            // be cheap: without the budget to try the full schedule, the start's length stays, untried.
            var screened = best;
            foreach (var epochs in new[] { start.Epochs, start.Epochs * 2 })
            {
                var longer = screened with { Epochs = epochs };
                var score = Try(longer, $"{Epochs} {epochs}");
                if (score is null && epochs == start.Epochs) best = longer;
                else if (score is { } s && s + MinImprovement >= bestScore) (best, bestScore) = (longer, Math.Max(s, bestScore));
            }
        }
        return new TuningResult(best, trials, ease, ValidationFraction, budget, spent, watch.Elapsed.TotalSeconds);
    }

    /// <summary>A trial: the validation pairs held out, scored once after the last epoch, no early stop, no refit.</summary>
    public static TrainingConfig AsTrial(TrainingConfig config) =>
        config with { ValidationFraction = ValidationFraction, Patience = Math.Max(1, config.Epochs), Refit = false, ValidateEveryEpoch = false };

    private static string Value(string setting, TrainingConfig c) => setting switch
    {
        Temperature => F(c.Temperature),
        LearningRate => F(c.LearningRate),
        WeightDecay => F(c.WeightDecay),
        _ => c.Epochs.ToString(CultureInfo.InvariantCulture),
    };

    private static double Round(double value) => double.Parse(value.ToString("G3", CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);

    private static string F(double value) => value.ToString(CultureInfo.InvariantCulture);

    private static IProgress<TrainingProgress>? Rename(IProgress<TrainingProgress>? progress, string phase) =>
        progress is null ? null : new SynchronousProgress<TrainingProgress>(p => progress.Report(p with { Phase = phase }));
}
