using System.Globalization;
using MovieRecommender.Trainer.Tuning;
using Spectre.Console;

namespace MovieRecommender.Trainer.Commands;

/// <summary>What tuning tried, as a table: each trial's settings, validation figures, their ratio to EASE on the same pairs, and time.</summary>
public static class TuningTableView
{
    public static Table Render(TuningResult tuning)
    {
        var ease = tuning.Ease.Chosen;
        var table = new Table()
            .Title($"tuning on the validation pairs, seen excluded (EASE λ {F(ease.Lambda)}: top-10 {ease.Top10:F4}, top-100 {ease.Top100:F4})")
            .AddColumn("trial").AddColumn(new TableColumn("temperature").RightAligned()).AddColumn(new TableColumn("epochs").RightAligned())
            .AddColumn(new TableColumn("lr").RightAligned()).AddColumn(new TableColumn("weight decay").RightAligned())
            .AddColumn(new TableColumn("top-10").RightAligned()).AddColumn(new TableColumn("top-100").RightAligned())
            .AddColumn(new TableColumn("× EASE").RightAligned()).AddColumn(new TableColumn("seconds").RightAligned());
        var chosen = tuning.ChosenTrial;
        foreach (var t in tuning.Trials)
        {
            var mark = ReferenceEquals(t, chosen) ? " [green](chosen)[/]" : "";
            table.AddRow(Markup.Escape(t.Change) + mark, F(t.Temperature), t.Epochs.ToString(CultureInfo.InvariantCulture), F(t.LearningRate), F(t.WeightDecay),
                t.Top10.ToString("F4", CultureInfo.InvariantCulture), t.Top100.ToString("F4", CultureInfo.InvariantCulture),
                t.Score.ToString("F3", CultureInfo.InvariantCulture), t.Seconds.ToString("F1", CultureInfo.InvariantCulture));
        }
        return table;
    }

    private static string F(double value) => value.ToString(CultureInfo.InvariantCulture);
}
