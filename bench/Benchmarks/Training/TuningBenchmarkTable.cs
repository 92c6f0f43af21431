using System.Globalization;
using Spectre.Console;

namespace MovieRecommender.Benchmarks.Training;

/// <summary>The tuning benchmark's table: per dataset, tuned and fixed default as multiples of best-λ EASE, times, choices.</summary>
public static class TuningBenchmarkTable
{
    public static Table Render(IReadOnlyList<TuningRow> rows)
    {
        var table = new Table().Title("seen-excluded top-10 / top-100 on the test pairs, as multiples of EASE at its best λ on them")
            .AddColumn("dataset").AddColumn(new TableColumn("ratings").RightAligned())
            .AddColumn(new TableColumn("best-λ EASE").RightAligned())
            .AddColumn(new TableColumn("tuned").RightAligned()).AddColumn(new TableColumn("s").RightAligned()).AddColumn(new TableColumn("tuning ÷ run").RightAligned())
            .AddColumn(new TableColumn("fixed default").RightAligned()).AddColumn(new TableColumn("s").RightAligned())
            .AddColumn(new TableColumn("EASE, λ chosen on validation").RightAligned()).AddColumn(new TableColumn("tuned ÷ it").RightAligned())
            .AddColumn("chosen").AddColumn("goal");
        foreach (var r in rows)
        {
            var (b10, b100) = (r.Tuned.BestEase(10), r.Tuned.BestEase(100));
            table.AddRow(
                Markup.Escape(r.Dataset.Name), r.Ratings.ToString("N0", CultureInfo.InvariantCulture),
                $"{b10.Value:F4} / {b100.Value:F4}",
                $"{r.Tuned10:F3}x / {r.Tuned100:F3}x", r.Tuned.WallSeconds.ToString("F0", CultureInfo.InvariantCulture),
                r.Tuned.TuningRuns is { } runs ? runs.ToString("F1", CultureInfo.InvariantCulture) : "-",
                $"{r.Fixed10:F3}x / {r.Fixed100:F3}x", r.Fixed.WallSeconds.ToString("F0", CultureInfo.InvariantCulture),
                $"λ {DevelopmentDatasets.F(r.Tuned.EaseLambda)}: {r.Ease10:F3}x / {r.Ease100:F3}x",
                $"{r.TunedOverEase10:F3} / {r.TunedOverEase100:F3}",
                Markup.Escape(r.Tuned.Chosen),
                (r.Met ? "[green]met[/]" : "[red]not met[/]") + $" ({r.Goal:F3}x{(r.SecondsGoal is { } s ? $", {s:F0} s" : "")})");
        }
        return table;
    }
}
