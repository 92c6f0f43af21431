using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using MovieRecommender.CommandLine;
using MovieRecommender.Trainer.Data;
using MovieRecommender.Trainer.Evaluation;
using MovieRecommender.Trainer.Training;
using Spectre.Console;

namespace MovieRecommender.Trainer.Commands;

/// <summary>
/// <c>ablation --data DIR [--json FILE]</c>: trains the default configuration and variants of it with one feature
/// switched off (or, for one the default leaves off, on), the item bias or the loss choice switched off, and reports each one's validation figures
/// after its epochs (<see cref="TrainingConfig.AsValidationProbe"/>). Only the validation split (carved from the training pairs) is
/// scored: the test pairs stay untouched.
/// </summary>
public static class AblationCommand
{
    public static Command Create()
    {
        var datasetOptions = new DatasetOptions();
        var seed = new Option<int>("--seed") { Description = "Seed of the split and of training.", DefaultValueFactory = _ => 42 };
        var threads = ThreadsOption.Create();
        var json = new Option<string>("--json") { Description = "Where to write the results.", DefaultValueFactory = _ => Path.Combine("bench", "results", "ablation.json") }.FileToWrite();
        var command = new Command("ablation", "Measure each feature's and the loss choice's effect on the validation split.") { datasetOptions.Data, seed, threads, json, datasetOptions.SkipBadRows };
        command.SetAction((parsed, ct) =>
        {
            var console = AnsiConsole.Console;
            var dataset = datasetOptions.Load(parsed, console);
            var split = TrainTestSplit.Create(dataset, parsed.GetValue(seed));
            var baseline = (TrainingConfig.Default with { Seed = parsed.GetValue(seed), Threads = ThreadsOption.Resolve(parsed, threads) }).AsValidationProbe();

            var rows = new List<AblationRow>();
            foreach (var (name, config) in Variants(baseline))
            {
                console.MarkupLineInterpolated($"[grey]training[/] {name} ...");
                using var model = TwoTowerTrainer.Train(dataset, split, config, cancellationToken: ct);
                var last = model.ValidationCurve[^1];
                rows.Add(new AblationRow(name, TowerFeatureNames.Format(config.Features), TrainingConfig.LossName(model.Loss), config.LogQCorrection, config.ItemBias,
                    last.Epoch, last.ValidationTop10 ?? 0, last.ValidationTop100 ?? 0, Math.Round(model.TrainingSeconds, 1)));
            }

            // EASE on the same validation pairs, trained on the same rest of the training pairs: the bar to clear.
            var ease = TrainingPipeline.EaseOnValidation(dataset, split, baseline, ct).Chosen;
            var easeRow = new AblationRow($"EASE (λ = {ease.Lambda}, chosen on these pairs), for reference", "", "", false, false, 0, ease.Top10, ease.Top100, 0);

            var table = new Table().Title($"ablation on the validation split ({baseline.ValidationFraction:P0} of the training pairs), seen excluded")
                .AddColumn("variant").AddColumn("loss").AddColumn(new TableColumn("epochs").RightAligned())
                .AddColumn(new TableColumn("top-10").RightAligned()).AddColumn(new TableColumn("Δ top-10").RightAligned())
                .AddColumn(new TableColumn("top-100").RightAligned()).AddColumn(new TableColumn("Δ top-100").RightAligned())
                .AddColumn(new TableColumn("seconds").RightAligned());
            foreach (var row in rows.Append(easeRow))
                table.AddRow(Markup.Escape(row.Variant), row.Loss, I(row.Epochs), F(row.ValidationTop10), D(row.ValidationTop10 - rows[0].ValidationTop10),
                    F(row.ValidationTop100), D(row.ValidationTop100 - rows[0].ValidationTop100), I(row.Seconds));
            console.Write(table);

            console.MarkupLineInterpolated($"{MachineDescription.TrainingSummary(baseline.Threads)}");

            var path = parsed.GetValue(json)!;
            var report = TrainerReport.Start("ablation", dataset.Name);
            report["seed"] = baseline.Seed;
            report["metric"] = $"top-K accuracy on the validation pairs ({baseline.ValidationFraction:P0} of the training pairs) after each variant's last epoch, seen excluded";
            report["machine"] = MachineDescription.ForTraining(baseline.Threads);
            report["variants"] = JsonSerializer.SerializeToNode(rows.Append(easeRow), TrainerReport.JsonOptions);
            TrainerReport.Write(path, report);
            console.MarkupLineInterpolated($"Wrote {path}.");
            return Task.FromResult(0);
        });
        return command;
    }

    /// <summary>Pairs per batch for the variants that batch by pairs when the default batches by users (the earlier default's).</summary>
    public const int PairBatch = 1024;

    /// <summary>The default, then the default with one thing switched at a time.</summary>
    public static IEnumerable<(string Name, TrainingConfig Config)> Variants(TrainingConfig baseline)
    {
        yield return ("default", baseline);
        foreach (var (name, feature) in TowerFeatureNames.Each)
            yield return baseline.Features.HasFlag(feature)
                ? ($"without {name}", baseline with { Features = baseline.Features & ~feature })
                : ($"with {name}", baseline with { Features = baseline.Features | feature });
        if (baseline.ItemBias) yield return ("without item bias", baseline with { ItemBias = false });
        // The history's own choices, on top of the default with the history (switched on when the default leaves it off).
        var (prefix, withHistory) = baseline.Features.HasFlag(TowerFeatures.History)
            ? ("", baseline) : ("with history, ", baseline with { Features = baseline.Features | TowerFeatures.History });
        yield return withHistory.HistoryPooling == HistoryPooling.SquareRoot
            ? ($"{prefix}pooled by its mean instead of sum / sqrt(n)", withHistory with { HistoryPooling = HistoryPooling.Mean })
            : ($"{prefix}pooled by sum / sqrt(n) instead of its mean", withHistory with { HistoryPooling = HistoryPooling.SquareRoot });
        yield return withHistory.ShareHistoryTable
            ? ($"{prefix}a table of its own instead of the movie ids'", withHistory with { ShareHistoryTable = false })
            : ($"{prefix}sharing the movie id table", withHistory with { ShareHistoryTable = true });
        yield return baseline.Schedule == LearningRateSchedule.Cosine
            ? ("constant learning rate instead of cosine", baseline with { Schedule = LearningRateSchedule.Constant })
            : ("cosine learning-rate schedule", baseline with { Schedule = LearningRateSchedule.Cosine });
        var pairs = baseline with { BatchSize = baseline.Loss == LossKind.PerUser ? PairBatch : baseline.BatchSize };
        if (baseline.Loss == LossKind.PerUser)
        {
            yield return ("per-user: history movies kept in the softmax", baseline with { ExcludeHistoryFromSoftmax = false });
            yield return ("per-pair full softmax instead of per-user", pairs with { Loss = LossKind.Full });
        }
        yield return ("per-pair in-batch softmax + log-Q", pairs with { Loss = LossKind.InBatch, LogQCorrection = true });
        yield return ("per-pair in-batch softmax without log-Q", pairs with { Loss = LossKind.InBatch, LogQCorrection = false });
    }

    private sealed record AblationRow(string Variant, string Features, string Loss, bool LogQ, bool ItemBias, int Epochs,
        double ValidationTop10, double ValidationTop100, double Seconds);

    private static string F(double v) => v.ToString("F4", CultureInfo.InvariantCulture);
    private static string D(double v) => v.ToString("+0.0000;-0.0000;0.0000", CultureInfo.InvariantCulture);
    private static string I(double v) => v.ToString("0", CultureInfo.InvariantCulture);
}
