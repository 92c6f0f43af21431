using System.Globalization;
using MovieRecommender.Benchmarks.Plots;

namespace MovieRecommender.Benchmarks.Serving;

/// <summary>Request rate against p99 latency, one line per index setting through the rates tried, the p99 bar dashed (<see cref="LinePlot"/>).</summary>
public static class RateLatencyPlot
{
    public static string ToSvg(IReadOnlyList<ServeRow> rows, double p99BarMs)
    {
        var first = rows[0];
        var x = LinePlot.LogAxis("target rate (req/s, log)", rows.Select(r => r.TargetRps));
        var y = LinePlot.LogAxis("p99 latency (ms, log)", rows.Select(r => Math.Max(r.P99Ms, 0.1)).Append(p99BarMs));
        var series = rows.GroupBy(r => r.Index)
            .Select(g => new PlotSeries(g.Key, [.. g.OrderBy(r => r.TargetRps).Select(r => (r.TargetRps, Math.Max(r.P99Ms, 0.1)))]))
            .ToList();
        var title = string.Create(CultureInfo.InvariantCulture, $"{first.Movies:N0} movies x {first.Dim}, {first.Users:N0} users, {first.Shards} shards, one silo");
        return LinePlot.ToSvg([new PlotPanel(title, x, y, series, [new PlotGuide(p99BarMs, $"p99 bar {p99BarMs.ToString(CultureInfo.InvariantCulture)} ms")])]);
    }
}
