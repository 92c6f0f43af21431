using System.Diagnostics;
using System.Globalization;
using System.Text;
using MovieRecommender.CommandLine;

namespace MovieRecommender.Benchmarks.Ratings;

/// <summary>What <c>export-ratings</c> did: its wall time, the exporting process's peak RSS and how it was read, the rows it wrote and the file's size.</summary>
public sealed record RatingsExportResult(double Seconds, long? PeakRssBytes, string PeakRssSource, long Rows, long FileBytes);

/// <summary>
/// Runs the console's <c>export-ratings --out FILE</c> as its own process (the built client, as a user runs it), times
/// it, reads its peak resident set, and counts the rows it wrote (the header left out). The peak comes from
/// GNU time's maximum RSS (<c>/usr/bin/time -f %M</c>, which the kernel reports at exit) where it is installed, else
/// from polling the process's VmHWM every 10 ms (which can miss a peak in its last milliseconds).
/// </summary>
public static class RatingsExport
{
    private const string GnuTime = "/usr/bin/time";

    public static async Task<RatingsExportResult> RunAsync(string root, string clientDll, IReadOnlyDictionary<string, string> environment, string outFile,
        CancellationToken ct)
    {
        File.Delete(outFile);
        var rssFile = outFile + ".maxrss";
        var useGnuTime = File.Exists(GnuTime);
        var start = useGnuTime
            ? new ProcessStartInfo(GnuTime) { ArgumentList = { "-f", "%M", "-o", rssFile, ChildProcess.DotnetHost(), clientDll, "export-ratings", "--out", outFile } }
            : new ProcessStartInfo(ChildProcess.DotnetHost()) { ArgumentList = { clientDll, "export-ratings", "--out", outFile } };
        start.WorkingDirectory = root;
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.UseShellExecute = false;
        foreach (var (key, value) in environment) start.Environment[key] = value;
        foreach (var key in start.Environment.Keys.Where(k => k.StartsWith("OTEL_", StringComparison.Ordinal)).ToList()) start.Environment.Remove(key);

        using var process = new Process { StartInfo = start };
        var output = new StringBuilder();
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
        var watch = Stopwatch.StartNew();
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        long? polledPeak = null;
        while (!process.HasExited)
        {
            if (!useGnuTime && ProcessStats.Status(process.Id, "VmHWM:") is { } hwm) polledPeak = Math.Max(polledPeak ?? 0, hwm);
            try { await process.WaitForExitAsync(ct).WaitAsync(TimeSpan.FromMilliseconds(10), ct); }
            catch (TimeoutException) { }
        }
        var seconds = watch.Elapsed.TotalSeconds;
        process.WaitForExit();
        if (process.ExitCode != 0 || !File.Exists(outFile))
            throw new UserFacingException($"export-ratings failed (exit {process.ExitCode}): {output.ToString().Trim()}");

        long? peak = polledPeak;
        if (useGnuTime && File.Exists(rssFile)
            && long.TryParse(File.ReadLines(rssFile).LastOrDefault(l => l.Trim().Length > 0)?.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var kb))
            peak = kb * 1024;
        File.Delete(rssFile);
        long rows = -1; // the header
        using (var reader = new StreamReader(outFile))
            while (await reader.ReadLineAsync(ct) is { } line)
                if (line.Length > 0) rows++;
        return new RatingsExportResult(seconds, peak, useGnuTime ? "GNU time %M (maximum resident set at exit)" : "VmHWM polled every 10 ms",
            Math.Max(0, rows), new FileInfo(outFile).Length);
    }
}
