using System.Globalization;

namespace MovieRecommender.Benchmarks.Ratings;

/// <summary>One target of the issue: what was measured against it, and whether it was met.</summary>
public sealed record RatingsCheck(string Name, string Target, string Measured, bool Met);

/// <summary>
/// The run against the issue's targets (<see cref="RatingsTargets"/>): the rate sustained over the measured run,
/// the first and last minutes' rates and their ratio, p99 overall and the worst window's, failures, the log's size
/// reached (the exported rows, which must also equal the ratings acknowledged), and export-ratings' time and peak RSS.
/// A minute's rate is the ratings acknowledged in the windows that started in the first 60 s (ended in the last
/// 60 s) over their seconds; in a run under two minutes they overlap, and that check is a miss (not measured).
/// </summary>
public sealed record RatingsVerdict(
    double SustainedRate,
    double? FirstMinuteRate,
    double? LastMinuteRate,
    double? LastOverFirst,
    bool MinutesOverlap,
    double? WorstWindowP99Ms,
    int WindowsOverP99,
    IReadOnlyList<RatingsCheck> Checks)
{
    public bool AllMet => Checks.All(c => c.Met);

    public static RatingsVerdict Of(RatingsLoadResult load, RatingsExportResult export, RatingsTargets t)
    {
        var windows = load.Windows.Where(w => w.Seconds > 0).ToList();
        double? Rate(IEnumerable<RatingsWindow> picked)
        {
            var list = picked.ToList();
            var seconds = list.Sum(w => w.Seconds);
            return seconds > 0 ? list.Sum(w => w.Acknowledged) / seconds : null;
        }
        var end = windows.Count > 0 ? windows.Max(w => w.EndSeconds) : 0;
        var first = windows.Where(w => w.StartSeconds < 60).ToList();
        var last = windows.Where(w => w.EndSeconds > end - 60).ToList();
        var firstRate = Rate(first);
        var lastRate = Rate(last);
        var overlap = first.Intersect(last).Any();
        double? ratio = firstRate is > 0 && lastRate is { } l ? l / firstRate : null;
        var worstP99 = windows.Select(w => w.P99Ms).Where(p => p is not null).DefaultIfEmpty(null).Max();
        var overP99 = windows.Count(w => w.P99Ms >= t.P99Ms);
        string N(double? value, string format = "F0") => value is { } v ? v.ToString(format, CultureInfo.InvariantCulture) : "-";

        var inLog = export.Rows;
        var checks = new List<RatingsCheck>
        {
            new("rate sustained", $">= {t.RatePerSecond:F0}/s", $"{N(load.RatePerSecond)}/s over {load.Seconds:F0} s", load.RatePerSecond >= t.RatePerSecond),
            new("ratings in the log", $">= {t.LogSize:N0}", $"{inLog:N0}{(load.StoppedShort ? " (stopped at --max-minutes)" : "")}", inLog >= t.LogSize),
            new("last minute / first minute", $">= {t.LastOverFirstMinute:F1}",
                $"{N(lastRate)}/s / {N(firstRate)}/s = {N(ratio, "F2")}{(overlap ? " (the minutes overlap: run under 2 min)" : "")}",
                ratio >= t.LastOverFirstMinute && !overlap),
            new("p99", $"< {t.P99Ms:F0} ms overall and in every window",
                $"{N(load.P99Ms, "F1")} ms overall, worst window {N(worstP99, "F1")} ms, {overP99} of {windows.Count} windows at or over",
                load.P99Ms < t.P99Ms && overP99 == 0),
            new("errors", "0", $"{load.Failed + load.WarmupFailed} (non-2xx {load.Non2xx}, errors {load.Errors}, timeouts {load.Timeouts}, warm-up {load.WarmupFailed})",
                load.Failed + load.WarmupFailed == 0),
            new("exported = acknowledged", "equal", $"{inLog:N0} exported, {load.AcknowledgedInAll:N0} acknowledged", inLog == load.AcknowledgedInAll),
            new("export-ratings time", $"< {t.ExportSeconds:F0} s (set for {RatingsTargets.ExportLogSize:N0})", $"{export.Seconds:F1} s for {inLog:N0}", export.Seconds < t.ExportSeconds),
            new("export-ratings peak RSS", $"< {t.ExportPeakRssMb:F0} MB (set for {RatingsTargets.ExportLogSize:N0})",
                $"{N(export.PeakRssBytes / 1e6, "F0")} MB for {inLog:N0}", export.PeakRssBytes / 1e6 < t.ExportPeakRssMb),
        };
        return new RatingsVerdict(load.RatePerSecond, firstRate, lastRate, ratio, overlap, worstP99, overP99, checks);
    }
}
