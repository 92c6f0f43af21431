using System.Globalization;
using System.Net;
using System.Text;

namespace MovieRecommender.Benchmarks.Plots;

/// <summary>One axis of a panel: its range, linear or log10, and the grid lines drawn (major ones darker).</summary>
public sealed record PlotAxis(string Label, double Min, double Max, bool Log, IReadOnlyList<PlotTick> Ticks);

/// <summary>A grid line with its label.</summary>
public sealed record PlotTick(double Value, string Label, bool Major = true);

/// <summary>One line of a panel, through its points in the order given.</summary>
public sealed record PlotSeries(string Name, IReadOnlyList<(double X, double Y)> Points);

/// <summary>A dashed horizontal line across a panel (a bar the series are judged against).</summary>
public sealed record PlotGuide(double Y, string Label);

public sealed record PlotPanel(string Title, PlotAxis X, PlotAxis Y, IReadOnlyList<PlotSeries> Series, IReadOnlyList<PlotGuide>? Guides = null);

/// <summary>
/// The benchmarks' SVG: panels of lines with points, two panels a row, one colour per series name across every panel
/// and one legend below. Standalone SVG, no script.
/// </summary>
public static class LinePlot
{
    private const int PanelWidth = 560;
    private const int PanelHeight = 380;
    private const int Left = 70, Right = 20, Top = 40, Bottom = 50;

    private static readonly string[] Colors = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf", "#7f7f7f", "#bcbd22"];

    public static string ToSvg(IReadOnlyList<PlotPanel> panels)
    {
        var names = panels.SelectMany(p => p.Series).Select(s => s.Name).Distinct().ToList();
        var columns = Math.Min(2, Math.Max(1, panels.Count));
        var panelRows = (panels.Count + columns - 1) / columns;
        var width = columns * PanelWidth;
        var height = panelRows * PanelHeight + 30 + 22 * ((names.Count + 3) / 4);
        var svg = new StringBuilder();
        svg.Append(Invariant($"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" font-family=\"sans-serif\" font-size=\"12\">\n"));
        svg.Append(Invariant($"<rect width=\"{width}\" height=\"{height}\" fill=\"white\"/>\n"));
        for (var p = 0; p < panels.Count; p++)
            DrawPanel(svg, panels[p], names, p % columns * PanelWidth, p / columns * PanelHeight);
        var legendTop = panelRows * PanelHeight + 20;
        for (var m = 0; m < names.Count; m++)
        {
            var lx = 20 + m % 4 * (width / 4);
            var ly = legendTop + m / 4 * 22;
            svg.Append(Invariant($"<line x1=\"{lx}\" y1=\"{ly}\" x2=\"{lx + 24}\" y2=\"{ly}\" stroke=\"{Color(m)}\" stroke-width=\"2\"/>"));
            svg.Append(Invariant($"<circle cx=\"{lx + 12}\" cy=\"{ly}\" r=\"3.5\" fill=\"{Color(m)}\"/>"));
            svg.Append(Invariant($"<text x=\"{lx + 30}\" y=\"{ly + 4}\">{WebUtility.HtmlEncode(names[m])}</text>\n"));
        }
        svg.Append("</svg>\n");
        return svg.ToString();
    }

    /// <summary>Log10 grid lines at 1, 2 and 5 times each power of ten from <paramref name="min"/> to <paramref name="max"/> (the powers major).</summary>
    public static IReadOnlyList<PlotTick> LogTicks(double min, double max)
    {
        var ticks = new List<PlotTick>();
        for (var e = Math.Floor(Math.Log10(min)); e <= Math.Ceiling(Math.Log10(max)); e++)
            foreach (var mantissa in new[] { 1, 2, 5 })
            {
                var value = mantissa * Math.Pow(10, e);
                if (value < min * (1 - 1e-9) || value > max * (1 + 1e-9)) continue;
                ticks.Add(new PlotTick(value, value.ToString("G", CultureInfo.InvariantCulture), mantissa == 1));
            }
        return ticks;
    }

    /// <summary>A log axis over whole powers of ten around the values.</summary>
    public static PlotAxis LogAxis(string label, IEnumerable<double> values)
    {
        var positive = values.Where(v => v > 0).DefaultIfEmpty(1).ToArray();
        var min = Math.Pow(10, Math.Floor(Math.Log10(positive.Min())));
        var max = Math.Pow(10, Math.Ceiling(Math.Log10(positive.Max())));
        if (max <= min) max = min * 10;
        return new PlotAxis(label, min, max, true, LogTicks(min, max));
    }

    private static void DrawPanel(StringBuilder svg, PlotPanel panel, List<string> names, int x0, int y0)
    {
        var plotW = PanelWidth - Left - Right;
        var plotH = PanelHeight - Top - Bottom;
        double Scale(PlotAxis axis, double v) => axis.Log
            ? (Math.Log10(Math.Max(v, axis.Min)) - Math.Log10(axis.Min)) / (Math.Log10(axis.Max) - Math.Log10(axis.Min))
            : (v - axis.Min) / (axis.Max - axis.Min);
        double X(double v) => x0 + Left + Scale(panel.X, v) * plotW;
        double Y(double v) => y0 + Top + plotH - Scale(panel.Y, v) * plotH;

        svg.Append(Invariant($"<text x=\"{x0 + PanelWidth / 2}\" y=\"{y0 + 22}\" text-anchor=\"middle\" font-weight=\"bold\">{WebUtility.HtmlEncode(panel.Title)}</text>\n"));
        svg.Append(Invariant($"<rect x=\"{x0 + Left}\" y=\"{y0 + Top}\" width=\"{plotW}\" height=\"{plotH}\" fill=\"none\" stroke=\"#333\"/>\n"));
        foreach (var tick in panel.X.Ticks)
        {
            var x = X(tick.Value);
            svg.Append(Invariant($"<line x1=\"{x:F1}\" y1=\"{y0 + Top}\" x2=\"{x:F1}\" y2=\"{y0 + Top + plotH}\" stroke=\"{(tick.Major ? "#eee" : "#f6f6f6")}\"/>"));
            svg.Append(Invariant($"<text x=\"{x:F1}\" y=\"{y0 + Top + plotH + 16}\" text-anchor=\"middle\">{WebUtility.HtmlEncode(tick.Label)}</text>\n"));
        }
        foreach (var tick in panel.Y.Ticks)
        {
            var y = Y(tick.Value);
            svg.Append(Invariant($"<line x1=\"{x0 + Left}\" y1=\"{y:F1}\" x2=\"{x0 + Left + plotW}\" y2=\"{y:F1}\" stroke=\"{(tick.Major ? "#ddd" : "#f3f3f3")}\"/>"));
            svg.Append(Invariant($"<text x=\"{x0 + Left - 6}\" y=\"{y + 4:F1}\" text-anchor=\"end\">{WebUtility.HtmlEncode(tick.Label)}</text>\n"));
        }
        foreach (var guide in panel.Guides ?? [])
        {
            var y = Y(guide.Y);
            svg.Append(Invariant($"<line x1=\"{x0 + Left}\" y1=\"{y:F1}\" x2=\"{x0 + Left + plotW}\" y2=\"{y:F1}\" stroke=\"#888\" stroke-dasharray=\"6,4\"/>"));
            svg.Append(Invariant($"<text x=\"{x0 + Left + plotW - 4}\" y=\"{y - 4:F1}\" text-anchor=\"end\" fill=\"#555\">{WebUtility.HtmlEncode(guide.Label)}</text>\n"));
        }
        svg.Append(Invariant($"<text x=\"{x0 + Left + plotW / 2}\" y=\"{y0 + PanelHeight - 12}\" text-anchor=\"middle\">{WebUtility.HtmlEncode(panel.X.Label)}</text>"));
        svg.Append(Invariant($"<text transform=\"translate({x0 + 16},{y0 + Top + plotH / 2}) rotate(-90)\" text-anchor=\"middle\">{WebUtility.HtmlEncode(panel.Y.Label)}</text>\n"));
        foreach (var series in panel.Series)
        {
            var color = Color(names.IndexOf(series.Name));
            var points = series.Points.Select(pt => (X: X(pt.X), Y: Y(pt.Y))).ToList();
            if (points.Count > 1)
                svg.Append($"<polyline fill=\"none\" stroke=\"{color}\" stroke-width=\"1.6\" points=\"{string.Join(' ', points.Select(pt => Invariant($"{pt.X:F1},{pt.Y:F1}")))}\"/>\n");
            foreach (var pt in points) svg.Append(Invariant($"<circle cx=\"{pt.X:F1}\" cy=\"{pt.Y:F1}\" r=\"3.5\" fill=\"{color}\"/>"));
            svg.Append('\n');
        }
    }

    private static string Color(int index) => Colors[Math.Max(0, index) % Colors.Length];

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
