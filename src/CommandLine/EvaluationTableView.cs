using System.Globalization;
using MovieRecommender.Artifacts;
using Spectre.Console;

namespace MovieRecommender.CommandLine;

/// <summary>The evaluation table as a Spectre.Console table: model, popularity and EASE × all / seen excluded, top-K with 4 decimals.</summary>
public static class EvaluationTableView
{
    /// <param name="easeLambda">EASE's λ, shown beside its name when known.</param>
    public static Table Render(EvaluationTable evaluation, double trainingSeconds, double? easeLambda = null)
    {
        var table = new Table().Title("top-K accuracy on the test split").Caption($"model trained in {trainingSeconds.ToString("F1", CultureInfo.InvariantCulture)} s");
        table.AddColumn("method");
        table.AddColumn("ranking");
        foreach (var k in EvaluationTable.Ks) table.AddColumn(new TableColumn($"top-{k}").RightAligned());
        foreach (var (name, method) in new[] { ("model", evaluation.Model), ("popularity", evaluation.Popularity), (easeLambda is { } lambda ? $"EASE (λ {lambda.ToString(CultureInfo.InvariantCulture)})" : "EASE", evaluation.Ease) })
        {
            table.AddRow([name, "all", .. Cells(method.All)]);
            table.AddRow([name, "seen excluded", .. Cells(method.SeenExcluded)]);
        }
        return table;
    }

    private static IEnumerable<string> Cells(IReadOnlyDictionary<string, double> values) =>
        EvaluationTable.Ks.Select(k => values[k.ToString(CultureInfo.InvariantCulture)].ToString("F4", CultureInfo.InvariantCulture));
}
