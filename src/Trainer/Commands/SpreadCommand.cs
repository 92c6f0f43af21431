using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using MovieRecommender.CommandLine;
using MovieRecommender.Trainer.Data;
using MovieRecommender.Trainer.Training;
using Spectre.Console;

namespace MovieRecommender.Trainer.Commands;

/// <summary>
/// <c>spread --data DIR [--seeds 42 1 2 ...]</c>: trains the default configuration once per seed, tuned as <c>train</c> tunes
/// it unless <c>--no-tune</c> (each seed is a new train/test split and a new initialisation, as <c>train --seed</c>) and reports, per seed and as mean ± standard
/// deviation, the model's and EASE's seen-excluded top-10 and top-100 on the test split and, from a second run of the
/// same configuration without the validation pairs, on the validation split, and the model's gain over EASE. One
/// split's figure is one draw: this shows how far it moves from split to split. Choose on the validation columns; the
/// test columns are there to report.
/// </summary>
public static class SpreadCommand
{
    /// <summary>The quality goal of the model issue: both seen-excluded figures this many percent above EASE's.</summary>
    public const double GoalGainPercent = 3;

    public static readonly int[] DefaultSeeds = [42, 1, 2, 3, 4, 5, 6, 7];

    public static Command Create()
    {
        var datasetOptions = new DatasetOptions();
        var seeds = new Option<int[]>("--seeds") { Description = "Seeds of the splits and of training, one run each (several: --seeds 42 1 2).", DefaultValueFactory = _ => DefaultSeeds, AllowMultipleArgumentsPerToken = true }.Integers(min: 0);
        var threads = ThreadsOption.Create();
        var json = new Option<string>("--json") { Description = "Where to write the results.", DefaultValueFactory = _ => Path.Combine("bench", "results", "spread.json") }.FileToWrite();
        var coldStart = new ColdStartOptions();
        var noTune = new Option<bool>("--no-tune") { Description = "Train the default's settings as they are (as train --no-tune) instead of tuning them per seed (as train)." };
        var command = new Command("spread", "Train the default once per seed and report how its gain over EASE spreads across splits.") { datasetOptions.Data, seeds, threads, coldStart.Share, coldStart.UserShare, noTune, json, datasetOptions.SkipBadRows };
        command.SetAction((parsed, ct) =>
        {
            var console = AnsiConsole.Console;
            var dataset = datasetOptions.Load(parsed, console);
            var threadCount = ThreadsOption.Resolve(parsed, threads);
            var seedList = parsed.GetValue(seeds)!.Distinct().ToArray(); // a repeated seed would repeat its run exactly
            var config = coldStart.Apply(parsed, TrainingConfig.Default with { Threads = threadCount });

            var rows = new List<SpreadRow>();
            foreach (var (seed, index) in seedList.Select((s, i) => (s, i)))
            {
                SpreadRow row = null!;
                console.Status().Start($"seed {seed} ({index + 1} of {seedList.Length}): training ...", _ => row = Measure(dataset, config with { Seed = seed }, !parsed.GetValue(noTune), ct));
                console.MarkupLineInterpolated(
                    $"seed {seed}: test top-10 {F(row.Test.Model10)} vs EASE {F(row.Test.Ease10)} ({P(row.Test.Gain10)}), top-100 {F(row.Test.Model100)} vs {F(row.Test.Ease100)} ({P(row.Test.Gain100)}); {row.Seconds:F1} s");
                rows.Add(row);
            }

            var summary = Summarize(rows);
            console.Write(Render(rows, summary, dataset.Name));
            var meeting = rows.Count(r => r.Test.MeetsGoal);
            console.MarkupLineInterpolated(
                $"Seeds where both test gains reach +{GoalGainPercent.ToString(CultureInfo.InvariantCulture)}%: {meeting} of {rows.Count}. {MachineDescription.TrainingSummary(threadCount)}");

            var path = parsed.GetValue(json)!;
            var report = TrainerReport.Start("spread", dataset.Name);
            report["preset"] = TrainingConfig.Default.Preset;
            report["idDropout"] = config.IdDropout;
            report["userIdDropout"] = config.EffectiveUserIdDropout;
            report["metric"] = "top-K accuracy with each user's training movies excluded; gain = model / EASE - 1, in percent";
            report["goalGainPercent"] = GoalGainPercent;
            report["seedsMeetingGoal"] = meeting;
            report["machine"] = MachineDescription.ForTraining(threadCount);
            report["seeds"] = JsonSerializer.SerializeToNode(rows, TrainerReport.JsonOptions);
            report["summary"] = JsonSerializer.SerializeToNode(summary, TrainerReport.JsonOptions);
            TrainerReport.Write(path, report);
            console.MarkupLineInterpolated($"Wrote {path}.");
            return Task.FromResult(0);
        });
        return command;
    }

    /// <summary>
    /// One seed: what <c>train --seed</c> trains and evaluates on the test pairs, and the same configuration's validation
    /// figures (<see cref="TrainingConfig.AsValidationProbe"/>) beside EASE on the same validation pairs.
    /// </summary>
    public static SpreadRow Measure(InteractionDataset dataset, TrainingConfig config, bool tune, CancellationToken ct)
    {
        var seed = config.Seed;
        using var run = TrainingPipeline.Run(dataset, seed, config, cancellationToken: ct, fixedSettings: tune ? new HashSet<string>() : null);
        var test = SpreadFigures.Of(run.Evaluation.Model.SeenExcluded, run.Evaluation.Ease.SeenExcluded);
        var probeConfig = run.Model.Config.AsValidationProbe();
        using var probe = TwoTowerTrainer.Train(dataset, run.Split, probeConfig, cancellationToken: ct);
        var last = probe.ValidationCurve[^1];
        var ease = TrainingPipeline.EaseOnValidation(dataset, run.Split, probeConfig, ct).Chosen;
        var validation = new SpreadFigures(last.ValidationTop10 ?? 0, ease.Top10, last.ValidationTop100 ?? 0, ease.Top100);
        return new SpreadRow(seed, run.Model.Epochs, test, validation, Math.Round(run.Model.TrainingSeconds, 1));
    }

    /// <summary>Mean, sample standard deviation, least and most of each figure over the seeds.</summary>
    public static IReadOnlyDictionary<string, SpreadStatistic> Summarize(IReadOnlyList<SpreadRow> rows)
    {
        var columns = new Dictionary<string, Func<SpreadRow, double>>
        {
            ["testModelTop10"] = r => r.Test.Model10,
            ["testEaseTop10"] = r => r.Test.Ease10,
            ["testGainTop10Percent"] = r => r.Test.Gain10,
            ["testModelTop100"] = r => r.Test.Model100,
            ["testEaseTop100"] = r => r.Test.Ease100,
            ["testGainTop100Percent"] = r => r.Test.Gain100,
            ["validationModelTop10"] = r => r.Validation.Model10,
            ["validationModelTop100"] = r => r.Validation.Model100,
            ["validationGainTop10Percent"] = r => r.Validation.Gain10,
            ["validationGainTop100Percent"] = r => r.Validation.Gain100,
            ["seconds"] = r => r.Seconds,
        };
        var summary = new Dictionary<string, SpreadStatistic>();
        foreach (var (name, column) in columns)
            if (SpreadStatistic.Of(rows.Select(column).ToList()) is { } statistic)
                summary[name] = statistic;
        return summary;
    }

    private static Table Render(IReadOnlyList<SpreadRow> rows, IReadOnlyDictionary<string, SpreadStatistic> summary, string dataset)
    {
        var table = new Table().Title($"the default on {dataset}, one split per seed, seen excluded")
            .AddColumn(new TableColumn("seed").RightAligned())
            .AddColumn(new TableColumn("test top-10\nmodel / EASE").RightAligned()).AddColumn(new TableColumn("gain").RightAligned())
            .AddColumn(new TableColumn("test top-100\nmodel / EASE").RightAligned()).AddColumn(new TableColumn("gain").RightAligned())
            .AddColumn(new TableColumn("validation gain\ntop-10 / top-100").RightAligned())
            .AddColumn(new TableColumn("epochs").RightAligned()).AddColumn(new TableColumn("seconds").RightAligned());
        foreach (var r in rows)
            table.AddRow(I(r.Seed), $"{F(r.Test.Model10)} / {F(r.Test.Ease10)}", P(r.Test.Gain10), $"{F(r.Test.Model100)} / {F(r.Test.Ease100)}", P(r.Test.Gain100),
                $"{P(r.Validation.Gain10)} / {P(r.Validation.Gain100)}", I(r.Epochs), r.Seconds.ToString("F1", CultureInfo.InvariantCulture));
        string S(string key, Func<double, string> format) =>
            summary.TryGetValue(key, out var s) ? $"{format(s.Mean)} ± {format(s.StandardDeviation).TrimStart('+')}" : "-";
        table.AddRow("mean ± sd", $"{S("testModelTop10", F)} / {S("testEaseTop10", F)}", S("testGainTop10Percent", P),
            $"{S("testModelTop100", F)} / {S("testEaseTop100", F)}", S("testGainTop100Percent", P),
            $"{S("validationGainTop10Percent", P)} / {S("validationGainTop100Percent", P)}", "", S("seconds", v => v.ToString("F1", CultureInfo.InvariantCulture)));
        return table;
    }

    private static string F(double v) => v.ToString("F4", CultureInfo.InvariantCulture);
    private static string P(double v) => v.ToString("+0.0;-0.0;0.0", CultureInfo.InvariantCulture) + "%";
    private static string I(int v) => v.ToString(CultureInfo.InvariantCulture);
}

/// <summary>Model and EASE seen-excluded top-10 and top-100 on one split, and the model's gains over EASE in percent.</summary>
public sealed record SpreadFigures(double Model10, double Ease10, double Model100, double Ease100)
{
    public double Gain10 => Gain(Model10, Ease10);
    public double Gain100 => Gain(Model100, Ease100);

    /// <summary>Both gains at least <see cref="SpreadCommand.GoalGainPercent"/>.</summary>
    public bool MeetsGoal => Gain10 >= SpreadCommand.GoalGainPercent && Gain100 >= SpreadCommand.GoalGainPercent;

    public static SpreadFigures Of(IReadOnlyDictionary<string, double> model, IReadOnlyDictionary<string, double> ease) =>
        new(model["10"], ease["10"], model["100"], ease["100"]);

    private static double Gain(double model, double ease) => ease > 0 ? Math.Round((model / ease - 1) * 100, 3) : 0;
}

/// <summary>One seed's run: the test figures, the validation figures beside EASE on the same validation pairs, the epochs trained and the seconds <c>train</c> took.</summary>
public sealed record SpreadRow(int Seed, int Epochs, SpreadFigures Test, SpreadFigures Validation, double Seconds);

/// <summary>Mean, sample standard deviation (0 for one value), least and most of a column.</summary>
public sealed record SpreadStatistic(double Mean, double StandardDeviation, double Min, double Max, int Count)
{
    public static SpreadStatistic? Of(IReadOnlyList<double> values)
    {
        if (values.Count == 0) return null;
        var mean = values.Average();
        var sd = values.Count > 1 ? Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (values.Count - 1)) : 0;
        return new SpreadStatistic(Math.Round(mean, 6), Math.Round(sd, 6), values.Min(), values.Max(), values.Count);
    }
}
