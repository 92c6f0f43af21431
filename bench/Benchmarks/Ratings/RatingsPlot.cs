using System.Globalization;
using MovieRecommender.Benchmarks.Plots;

namespace MovieRecommender.Benchmarks.Ratings;

/// <summary>
/// The run's SVG (<see cref="LinePlot"/>): the rate of each window over time against the target rate, p99 over time
/// against the bar, and the rate against the ratings already in the log, which shows whether the rate falls as the
/// log grows. Rate and p99 on log axes: a slow log can be ten times under the target rate and take seconds.
/// </summary>
public static class RatingsPlot
{
    public static string ToSvg(string store, IReadOnlyList<RatingsWindow> windows, RatingsTargets targets)
    {
        var shown = windows.Where(w => w.Seconds > 0).ToList();
        var rate = new PlotSeries($"{store}: ratings/s", [.. shown.Select(w => (w.EndSeconds, w.RatePerSecond))]);
        var p99 = new PlotSeries($"{store}: p99 ms", [.. shown.Where(w => w.P99Ms is > 0).Select(w => (w.EndSeconds, w.P99Ms!.Value))]);
        var byLog = new PlotSeries($"{store}: ratings/s", [.. shown.Select(w => ((double)w.AcknowledgedSoFar, w.RatePerSecond))]);

        var time = LinearAxis("seconds since the warm-up", shown.Select(w => w.EndSeconds).DefaultIfEmpty(1).Max());
        // Log: a rate far under the target (or a fall of ten times) stays readable beside the target's line.
        var rateAxis = LinePlot.LogAxis("ratings acknowledged a second (window)", [.. shown.Select(w => w.RatePerSecond), targets.RatePerSecond]);
        var p99Axis = LinePlot.LogAxis("p99 of the window (ms)", [.. p99.Points.Select(p => p.Y), targets.P99Ms]);
        var logAxis = LinearAxis("ratings in the log (acknowledged so far)", shown.Select(w => (double)w.AcknowledgedSoFar).DefaultIfEmpty(1).Max());
        return LinePlot.ToSvg(
        [
            new PlotPanel("Rate over time", time, rateAxis, [rate], [new PlotGuide(targets.RatePerSecond, $"target {targets.RatePerSecond:F0}/s")]),
            new PlotPanel("p99 over time", time, p99Axis, [p99], [new PlotGuide(targets.P99Ms, $"bar {targets.P99Ms:F0} ms")]),
            new PlotPanel("Rate as the log grows", logAxis, rateAxis, [byLog], [new PlotGuide(targets.RatePerSecond, $"target {targets.RatePerSecond:F0}/s")]),
        ]);
    }

    /// <summary>A linear axis from 0 to a round value at or above <paramref name="max"/>, with about five labelled grid lines.</summary>
    private static PlotAxis LinearAxis(string label, double max)
    {
        max = Math.Max(max, 1);
        var rough = max / 5;
        var power = Math.Pow(10, Math.Floor(Math.Log10(rough)));
        var step = new[] { 1, 2, 5, 10 }.Select(m => m * power).First(s => s >= rough);
        var top = Math.Ceiling(max / step) * step;
        var ticks = new List<PlotTick>();
        for (var v = 0.0; v <= top * (1 + 1e-9); v += step)
            ticks.Add(new PlotTick(v, v >= 1e6 ? (v / 1e6).ToString("0.##", CultureInfo.InvariantCulture) + "M"
                : v >= 1e4 ? (v / 1e3).ToString("0.##", CultureInfo.InvariantCulture) + "k" : v.ToString("G", CultureInfo.InvariantCulture)));
        return new PlotAxis(label, 0, top, false, ticks);
    }
}
