using System.Globalization;
using MovieRecommender.Benchmarks.Plots;

namespace MovieRecommender.Benchmarks.Index;

/// <summary>
/// Recall against queries per second, ann-benchmarks style (up and to the right is better; QPS on a log scale),
/// one panel per (n, dim, k), one line per method through its settings (<see cref="LinePlot"/>).
/// </summary>
public static class RecallQpsPlot
{
    public static string ToSvg(IReadOnlyList<BenchmarkRow> rows)
    {
        var methods = rows.Select(r => r.Method).Distinct().ToList();
        var panels = rows.GroupBy(r => (r.N, r.Dim, r.K)).OrderBy(g => g.Key.N).ThenBy(g => g.Key.Dim).ThenBy(g => g.Key.K)
            .Select(g =>
            {
                var minRecall = Math.Floor(Math.Min(0.8, g.Min(r => r.Recall)) * 10) / 10;
                var ticks = new List<PlotTick>();
                for (var r = minRecall; r <= 1.0001; r += 0.05) ticks.Add(new PlotTick(r, r.ToString("F2", CultureInfo.InvariantCulture)));
                var x = new PlotAxis("recall", minRecall, 1, false, ticks);
                var y = LinePlot.LogAxis("queries per CPU second (log)", g.Select(r => r.CpuQps));
                // Methods in one order across panels, so each keeps its colour.
                var series = methods.Where(m => g.Any(r => r.Method == m))
                    .Select(m => new PlotSeries(m, [.. g.Where(r => r.Method == m).OrderBy(r => r.Recall).ThenByDescending(r => r.CpuQps).Select(r => (r.Recall, r.CpuQps))]))
                    .ToList();
                return new PlotPanel($"n = {g.Key.N:N0}, d = {g.Key.Dim}, recall@{g.Key.K} (one core)", x, y, series);
            })
            .ToList();
        return LinePlot.ToSvg(panels);
    }
}
