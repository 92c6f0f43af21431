using System.Globalization;
using System.Net;
using System.Text;

namespace MovieRecommender.Benchmarks.Index;

/// <summary>
/// Recall against queries per second, ann-benchmarks style (up and to the right is better; QPS on a log scale),
/// one panel per (n, dim, k), one line per method through its settings. Written as a standalone SVG.
/// </summary>
public static class RecallQpsPlot
{
    private const int PanelWidth = 560;
    private const int PanelHeight = 380;
    private const int Left = 70, Right = 20, Top = 40, Bottom = 50;

    private static readonly string[] Colors = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf", "#7f7f7f", "#bcbd22"];

    public static string ToSvg(IReadOnlyList<BenchmarkRow> rows)
    {
        var panels = rows.GroupBy(r => (r.N, r.Dim, r.K)).OrderBy(g => g.Key.N).ThenBy(g => g.Key.Dim).ThenBy(g => g.Key.K).ToList();
        var methods = rows.Select(r => r.Method).Distinct().ToList();
        var columns = Math.Min(2, Math.Max(1, panels.Count));
        var panelRows = (panels.Count + columns - 1) / columns;
        var width = columns * PanelWidth;
        var height = panelRows * PanelHeight + 30 + 22 * ((methods.Count + 3) / 4);
        var svg = new StringBuilder();
        svg.Append(Invariant($"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" font-family=\"sans-serif\" font-size=\"12\">\n"));
        svg.Append(Invariant($"<rect width=\"{width}\" height=\"{height}\" fill=\"white\"/>\n"));
        for (var p = 0; p < panels.Count; p++)
        {
            var x0 = p % columns * PanelWidth;
            var y0 = p / columns * PanelHeight;
            DrawPanel(svg, panels[p].ToList(), methods, x0, y0, $"n = {panels[p].Key.N:N0}, d = {panels[p].Key.Dim}, recall@{panels[p].Key.K} (one core)");
        }
        // Legend.
        var legendTop = panelRows * PanelHeight + 20;
        for (var m = 0; m < methods.Count; m++)
        {
            var lx = 20 + m % 4 * (width / 4);
            var ly = legendTop + m / 4 * 22;
            svg.Append(Invariant($"<line x1=\"{lx}\" y1=\"{ly}\" x2=\"{lx + 24}\" y2=\"{ly}\" stroke=\"{Colors[m % Colors.Length]}\" stroke-width=\"2\"/>"));
            svg.Append(Invariant($"<circle cx=\"{lx + 12}\" cy=\"{ly}\" r=\"3.5\" fill=\"{Colors[m % Colors.Length]}\"/>"));
            svg.Append(Invariant($"<text x=\"{lx + 30}\" y=\"{ly + 4}\">{WebUtility.HtmlEncode(methods[m])}</text>\n"));
        }
        svg.Append("</svg>\n");
        return svg.ToString();
    }

    private static void DrawPanel(StringBuilder svg, List<BenchmarkRow> rows, List<string> methods, int x0, int y0, string title)
    {
        var plotW = PanelWidth - Left - Right;
        var plotH = PanelHeight - Top - Bottom;
        var minRecall = Math.Floor(Math.Min(0.8, rows.Min(r => r.Recall)) * 10) / 10;
        var logMin = Math.Floor(Math.Log10(rows.Min(r => r.CpuQps)));
        var logMax = Math.Ceiling(Math.Log10(rows.Max(r => r.CpuQps)));
        if (logMax <= logMin) logMax = logMin + 1;
        double X(double recall) => x0 + Left + (recall - minRecall) / (1 - minRecall) * plotW;
        double Y(double qps) => y0 + Top + plotH - (Math.Log10(qps) - logMin) / (logMax - logMin) * plotH;

        svg.Append(Invariant($"<text x=\"{x0 + PanelWidth / 2}\" y=\"{y0 + 22}\" text-anchor=\"middle\" font-weight=\"bold\">{WebUtility.HtmlEncode(title)}</text>\n"));
        svg.Append(Invariant($"<rect x=\"{x0 + Left}\" y=\"{y0 + Top}\" width=\"{plotW}\" height=\"{plotH}\" fill=\"none\" stroke=\"#333\"/>\n"));
        for (var r = minRecall; r <= 1.0001; r += 0.05)
        {
            var x = X(r);
            svg.Append(Invariant($"<line x1=\"{x:F1}\" y1=\"{y0 + Top}\" x2=\"{x:F1}\" y2=\"{y0 + Top + plotH}\" stroke=\"#eee\"/>"));
            svg.Append(Invariant($"<text x=\"{x:F1}\" y=\"{y0 + Top + plotH + 16}\" text-anchor=\"middle\">{r:F2}</text>\n"));
        }
        for (var e = logMin; e <= logMax; e++)
        {
            foreach (var mantissa in new[] { 1, 2, 5 })
            {
                var qps = mantissa * Math.Pow(10, e);
                if (Math.Log10(qps) > logMax + 1e-9) break;
                var y = Y(qps);
                svg.Append(Invariant($"<line x1=\"{x0 + Left}\" y1=\"{y:F1}\" x2=\"{x0 + Left + plotW}\" y2=\"{y:F1}\" stroke=\"{(mantissa == 1 ? "#ddd" : "#f3f3f3")}\"/>"));
                svg.Append(Invariant($"<text x=\"{x0 + Left - 6}\" y=\"{y + 4:F1}\" text-anchor=\"end\">{qps:G}</text>\n"));
            }
        }
        svg.Append(Invariant($"<text x=\"{x0 + Left + plotW / 2}\" y=\"{y0 + PanelHeight - 12}\" text-anchor=\"middle\">recall</text>"));
        svg.Append(Invariant($"<text transform=\"translate({x0 + 16},{y0 + Top + plotH / 2}) rotate(-90)\" text-anchor=\"middle\">queries per CPU second (log)</text>\n"));
        foreach (var group in rows.GroupBy(r => r.Method))
        {
            var color = Colors[methods.IndexOf(group.Key) % Colors.Length];
            var points = group.OrderBy(r => r.Recall).ThenByDescending(r => r.CpuQps).Select(r => (X: X(r.Recall), Y: Y(r.CpuQps))).ToList();
            if (points.Count > 1)
                svg.Append($"<polyline fill=\"none\" stroke=\"{color}\" stroke-width=\"1.6\" points=\"{string.Join(' ', points.Select(pt => Invariant($"{pt.X:F1},{pt.Y:F1}")))}\"/>\n");
            foreach (var pt in points) svg.Append(Invariant($"<circle cx=\"{pt.X:F1}\" cy=\"{pt.Y:F1}\" r=\"3.5\" fill=\"{color}\"/>"));
            svg.Append('\n');
        }
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
