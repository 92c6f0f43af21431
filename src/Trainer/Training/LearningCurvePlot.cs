using System.Globalization;
using System.Text;

namespace MovieRecommender.Trainer.Training;

/// <summary>
/// The learning curves as a small standalone SVG: training loss per epoch (left) and, when a validation run
/// chose the epoch count, validation top-10 / top-100 accuracy per epoch with the chosen epoch marked (right).
/// </summary>
public static class LearningCurvePlot
{
    private const int PanelWidth = 420, PanelHeight = 260, Margin = 48;

    public static string Render(TrainedModel model)
    {
        var validation = model.ValidationCurve;
        var svg = new StringBuilder();
        var width = 2 * PanelWidth;
        svg.Append(CultureInfo.InvariantCulture, $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{PanelHeight}\" font-family=\"sans-serif\" font-size=\"11\">\n");
        svg.Append(CultureInfo.InvariantCulture, $"<rect width=\"{width}\" height=\"{PanelHeight}\" fill=\"white\"/>\n");

        var lossSeries = new List<(string, string, IReadOnlyList<double>)> { ("final run", "#1f77b4", model.FinalCurve.Select(e => e.Loss).ToList()) };
        if (validation.Count > 0) lossSeries.Add(("validation run", "#ff7f0e", validation.Select(e => e.Loss).ToList()));
        Panel(svg, 0, "training loss (mean cross-entropy per pair)", lossSeries, null);

        if (validation.Count > 0)
        {
            Panel(svg, PanelWidth, "validation accuracy, seen excluded", [
                ("top-100", "#2ca02c", validation.Select(e => e.ValidationTop100 ?? 0).ToList()),
                ("top-10", "#d62728", validation.Select(e => e.ValidationTop10 ?? 0).ToList()),
            ], model.Epochs);
        }
        else
        {
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{PanelWidth + Margin}\" y=\"{PanelHeight / 2}\">no validation run (--validation 0)</text>\n");
        }
        svg.Append("</svg>\n");
        return svg.ToString();
    }

    private static void Panel(StringBuilder svg, int left, string title, IReadOnlyList<(string Name, string Color, IReadOnlyList<double> Values)> series, int? marked)
    {
        var epochs = Math.Max(2, series.Max(s => s.Values.Count));
        var all = series.SelectMany(s => s.Values).DefaultIfEmpty(0).ToList();
        var (lo, hi) = (all.Min(), all.Max());
        if (hi - lo < 1e-9) (lo, hi) = (lo - 0.5, hi + 0.5);
        double X(int epoch) => left + Margin + (epoch - 1) * (PanelWidth - 2.0 * Margin) / (epochs - 1);
        double Y(double v) => PanelHeight - Margin - (v - lo) * (PanelHeight - 2.0 * Margin) / (hi - lo);

        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{left + Margin}\" y=\"20\" font-weight=\"bold\">{title}</text>\n");
        svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{left + Margin}\" y=\"{Margin}\" width=\"{PanelWidth - 2 * Margin}\" height=\"{PanelHeight - 2 * Margin}\" fill=\"none\" stroke=\"#999\"/>\n");
        foreach (var v in new[] { lo, (lo + hi) / 2, hi })
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{left + 4}\" y=\"{Y(v) + 4:F1}\">{v:G3}</text>\n");
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{left + PanelWidth / 2 - 15}\" y=\"{PanelHeight - 12}\">epoch (1–{epochs})</text>\n");
        if (marked is { } epoch)
            svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{X(epoch):F1}\" y1=\"{Margin}\" x2=\"{X(epoch):F1}\" y2=\"{PanelHeight - Margin}\" stroke=\"#888\" stroke-dasharray=\"4 3\"/><text x=\"{X(epoch) + 3:F1}\" y=\"{Margin + 12}\">chosen: {epoch}</text>\n");
        var legendY = Margin + 14;
        foreach (var (name, color, values) in series)
        {
            if (values.Count == 0) continue;
            var points = string.Join(" ", values.Select((v, i) => FormattableString.Invariant($"{X(i + 1):F1},{Y(v):F1}")));
            svg.Append(CultureInfo.InvariantCulture, $"<polyline points=\"{points}\" fill=\"none\" stroke=\"{color}\" stroke-width=\"2\"/>\n");
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{left + PanelWidth - Margin - 90}\" y=\"{legendY}\" fill=\"{color}\">{name}</text>\n");
            legendY += 14;
        }
    }
}
