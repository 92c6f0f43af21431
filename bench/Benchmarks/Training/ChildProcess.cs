using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;
using MovieRecommender.Cli;

namespace MovieRecommender.Benchmarks.Training;

/// <summary>What one child process did: its exit code, captured output and wall time from start to exit.</summary>
/// <remarks><see cref="CpuSeconds"/> is user + system time of the child and its waited-for descendants (Linux getrusage), or null elsewhere.</remarks>
public sealed record ChildResult(int ExitCode, string StandardOutput, string StandardError, double WallSeconds, double? CpuSeconds = null)
{
    /// <summary>The last non-empty line of stdout, trimmed, or "" when there is none.</summary>
    public string LastLine =>
        StandardOutput.Split('\n').Select(l => l.Trim()).LastOrDefault(l => l.Length > 0) ?? "";

    /// <summary>The last <paramref name="lines"/> non-empty lines of stderr (else stdout) joined on one line, for an error message.</summary>
    public string Tail(int lines = 3)
    {
        var text = string.IsNullOrWhiteSpace(StandardError) ? StandardOutput : StandardError;
        var tail = text.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0).TakeLast(lines);
        return string.Join(" | ", tail);
    }

    /// <summary>The first distinct compiler/MSBuild error lines of a build's output, else <see cref="Tail"/>.</summary>
    public string BuildErrors(int lines = 3)
    {
        var errors = (StandardOutput + "\n" + StandardError).Split('\n').Select(l => l.Trim())
            .Where(l => l.Contains(": error ", StringComparison.Ordinal)).Distinct().Take(lines).ToList();
        return errors.Count > 0 ? string.Join(" | ", errors) : Tail();
    }
}

/// <summary>Runs a program to completion, capturing stdout and stderr and timing it with a stopwatch.</summary>
public static class ChildProcess
{
    public static async Task<ChildResult> RunAsync(string fileName, IReadOnlyList<string> arguments, string workingDirectory,
        IReadOnlyDictionary<string, string>? environment, CancellationToken ct)
    {
        var info = new ProcessStartInfo(fileName)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        foreach (var argument in arguments) info.ArgumentList.Add(argument);
        if (environment is not null)
            foreach (var (key, value) in environment) info.Environment[key] = value;

        using var process = new Process { StartInfo = info };
        var stdout = new StringBuilder();
        var stderr = new StringBuilder();
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (stdout) stdout.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (stderr) stderr.AppendLine(e.Data); };

        var cpuBefore = ChildrenCpuSeconds();
        var watch = Stopwatch.StartNew();
        try
        {
            if (!process.Start()) throw new UserFacingException($"could not start {fileName}.");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new UserFacingException($"could not start {fileName}: {e.Message}", e);
        }
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
        var seconds = watch.Elapsed.TotalSeconds;
        process.WaitForExit(); // drains the asynchronous readers
        var cpu = ChildrenCpuSeconds() - cpuBefore;
        string Text(StringBuilder sb) { lock (sb) return sb.ToString(); }
        return new ChildResult(process.ExitCode, Text(stdout), Text(stderr), seconds, cpu);
    }

    /// <summary>CPU seconds (user + system) of every child this process has reaped so far; null off Linux or on failure.</summary>
    private static double? ChildrenCpuSeconds()
    {
        if (!OperatingSystem.IsLinux()) return null;
        try
        {
            return getrusage(RusageChildren, out var usage) == 0
                ? usage.UserSeconds + usage.UserMicroseconds / 1e6 + usage.SystemSeconds + usage.SystemMicroseconds / 1e6
                : null;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return null;
        }
    }

    private const int RusageChildren = -1;

    // struct rusage on 64-bit Linux: two struct timevals, then 14 longs.
    [StructLayout(LayoutKind.Sequential)]
    private struct RUsage
    {
        public long UserSeconds, UserMicroseconds, SystemSeconds, SystemMicroseconds;
        public long MaxRss, IxRss, IdRss, IsRss, MinFlt, MajFlt, NSwap, InBlock, OuBlock, MsgSnd, MsgRcv, NSignals, NVcsw, NIvcsw;
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int getrusage(int who, out RUsage usage);
}
