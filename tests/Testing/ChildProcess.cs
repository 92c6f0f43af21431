using System.Diagnostics;
using System.Text;
using MovieRecommender.CommandLine;

namespace MovieRecommender.Testing;

/// <summary>What one child process did: its exit code, captured output and wall time from start to exit.</summary>
/// <remarks><see cref="CpuSeconds"/> is user + system time of the child and its waited-for descendants (Linux getrusage), or null elsewhere.</remarks>
public sealed record ChildResult(int ExitCode, string StandardOutput, string StandardError, double WallSeconds, double? CpuSeconds = null)
{
    /// <summary>Standard output, then standard error.</summary>
    public string Output => StandardOutput + StandardError;

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
    /// <summary>The <c>dotnet</c> host: the SDK's own when it told us (DOTNET_HOST_PATH), else the one on PATH.</summary>
    public static string DotnetHost() =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";

    /// <summary>Runs <paramref name="fileName"/>; <paramref name="environment"/> adds to (a null value removes from) the inherited one,
    /// from which <paramref name="withoutInheritedOtel"/> first drops every OTEL_* variable, so the child exports only where told.</summary>
    public static async Task<ChildResult> RunAsync(string fileName, IReadOnlyList<string> arguments, string workingDirectory,
        IEnumerable<KeyValuePair<string, string>>? environment, CancellationToken ct, bool withoutInheritedOtel = false)
    {
        var info = StartInfo(fileName, arguments, workingDirectory, withoutInheritedOtel);
        foreach (var (key, value) in environment ?? []) info.Environment[key] = value;

        using var process = new Process { StartInfo = info };
        var stdout = new StringBuilder();
        var stderr = new StringBuilder();
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (stdout) stdout.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (stderr) stderr.AppendLine(e.Data); };

        var cpuBefore = ProcessStats.ReapedChildrenCpuSeconds();
        var watch = Stopwatch.StartNew();
        Start(process);
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
        var cpu = ProcessStats.ReapedChildrenCpuSeconds() - cpuBefore;
        string Text(StringBuilder sb) { lock (sb) return sb.ToString(); }
        return new ChildResult(process.ExitCode, Text(stdout), Text(stderr), seconds, cpu);
    }

    internal static ProcessStartInfo StartInfo(string fileName, IEnumerable<string> arguments, string? workingDirectory, bool withoutInheritedOtel)
    {
        var info = new ProcessStartInfo(fileName)
        {
            WorkingDirectory = workingDirectory ?? "",
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        foreach (var argument in arguments) info.ArgumentList.Add(argument);
        if (withoutInheritedOtel)
            foreach (var name in info.Environment.Keys.Where(k => k.StartsWith("OTEL_", StringComparison.Ordinal)).ToList()) info.Environment.Remove(name);
        return info;
    }

    internal static void Start(Process process)
    {
        var fileName = process.StartInfo.FileName;
        try
        {
            if (!process.Start()) throw new UserFacingException($"could not start {fileName}.");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new UserFacingException($"could not start {fileName}: {e.Message}", e);
        }
    }
}
