using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using MovieRecommender.CommandLine;

namespace MovieRecommender.Benchmarks.Ratings;

/// <summary>
/// Runs ratings-driver.js (autocannon) against the silo's HTTP door and reads its windows as they come, so each is
/// shown while the load goes on; returns the driver's totals with every window.
/// </summary>
public static class RatingsLoad
{
    public static async Task<RatingsLoadResult> RunAsync(string root, RatingsSettings s, Uri silo, Action<RatingsWindow> onWindow, CancellationToken ct)
    {
        var driver = Path.Combine(root, "bench", "Benchmarks", "Ratings", "ratings-driver.js");
        string I(double value) => value.ToString(CultureInfo.InvariantCulture);
        var start = new ProcessStartInfo("node")
        {
            ArgumentList =
            {
                driver, "--autocannon", s.Autocannon, "--url", silo.ToString().TrimEnd('/'),
                "--users", I(s.Users), "--movies", I(s.Movies), "--ratings", I(s.Ratings - s.Warmup), "--warmup", I(s.Warmup),
                "--connections", I(s.Connections), "--window", I(s.WindowSeconds), "--max-seconds", I(s.MaxMinutes * 60),
            },
            WorkingDirectory = root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var process = new Process { StartInfo = start };
        var windows = new List<RatingsWindow>();
        JsonNode? done = null;
        var stderr = new StringBuilder();
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is not { Length: > 0 } line || !line.StartsWith('{')) return;
            var json = JsonNode.Parse(line)!;
            if (json["done"] is not null)
            {
                done = json;
                return;
            }
            var window = ReadWindow(json);
            lock (windows) windows.Add(window);
            onWindow(window);
        };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (stderr) stderr.AppendLine(e.Data); };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await process.WaitForExitAsync(ct);
        }
        catch (OperationCanceledException)
        {
            try { process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
            throw;
        }
        process.WaitForExit(); // drains the asynchronous readers
        if (process.ExitCode != 0 || done is null)
            throw new UserFacingException($"the ratings driver failed (exit {process.ExitCode}): {stderr.ToString().Trim()}");

        double? D(string key) => done[key]?.GetValue<double>();
        long L(JsonNode? node) => (long)(node?.GetValue<double>() ?? 0);
        var warm = done["warmup"];
        var codes = done["statusCodes"]?.AsObject().ToDictionary(p => p.Key, p => L(p.Value), StringComparer.Ordinal) ?? [];
        return new RatingsLoadResult(
            Posted: L(done["posted"]),
            WarmupAcknowledged: L(warm?["ok"]),
            WarmupFailed: L(warm?["non2xx"]) + L(warm?["errors"]),
            WarmupSeconds: warm?["seconds"]?.GetValue<double>() ?? 0,
            Acknowledged: L(done["ok"]),
            Non2xx: L(done["non2xx"]),
            Errors: L(done["errors"]),
            Timeouts: L(done["timeouts"]),
            Seconds: D("seconds") ?? 0,
            P50Ms: D("p50"), P90Ms: D("p90"), P99Ms: D("p99"), MaxMs: D("max"),
            StoppedShort: done["stoppedShort"]?.GetValue<bool>() ?? false,
            FirstError: done["firstError"]?.GetValue<string>(),
            StatusCodes: codes,
            Windows: windows,
            SiloCpuSeconds: null);
    }

    private static RatingsWindow ReadWindow(JsonNode json)
    {
        double? D(string key) => json[key]?.GetValue<double>();
        long L(string key) => (long)(D(key) ?? 0);
        return new RatingsWindow((int)L("window"), D("startSeconds") ?? 0, D("seconds") ?? 0, L("ok"), L("non2xx"), L("errors"), L("timeouts"),
            D("p50"), D("p99"), D("max"), L("okTotal"));
    }
}
