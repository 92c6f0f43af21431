using System.Diagnostics;
using MovieRecommender.CommandLine;

namespace MovieRecommender.Testing;

/// <summary>How to start a long-running program: what to run, its environment and the line that says it is ready.</summary>
public sealed record ChildStart(string FileName, IReadOnlyList<string> Arguments)
{
    /// <summary>For messages: "the silo", "silo 'with'" ...</summary>
    public string Name { get; init; } = System.IO.Path.GetFileName(FileName);

    public string? WorkingDirectory { get; init; }

    /// <summary>Added to the inherited environment; a null value removes the variable.</summary>
    public IReadOnlyDictionary<string, string?> Environment { get; init; } = new Dictionary<string, string?>();

    /// <summary>Drops every inherited OTEL_* variable first, so the child exports only where <see cref="Environment"/> says.</summary>
    public bool WithoutInheritedOtel { get; init; }

    /// <summary>The line (a part of one) the program prints once ready; null: ready once started.</summary>
    public string? ReadyLine { get; init; }

    public TimeSpan ReadyTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>For a .NET program's DLL, run by the <c>dotnet</c> host.</summary>
    public static ChildStart Dotnet(string dll, IEnumerable<string> arguments) =>
        new(ChildProcess.DotnetHost(), [dll, .. arguments]) { Name = System.IO.Path.GetFileName(dll) };
}

/// <summary>
/// A long-running program in a child process (the silo, for instance): started and waited for until it prints its ready
/// line, its output kept (the last <see cref="KeptLines"/> lines) and its warnings and errors counted; stopped with
/// SIGTERM or killed with its children, and killed on dispose.
/// </summary>
public sealed class ChildProgram : IDisposable, IAsyncDisposable
{
    public const int KeptLines = 10_000;
    private const int ProblemsKept = 10;
    private const int ProblemLength = 500;

    private readonly Process _process;
    private readonly Queue<string> _lines = new();
    private readonly List<string> _problems = [];
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly string? _readyLine;
    private int _problemCount;
    private bool _joinNext;

    private ChildProgram(Process process, string? readyLine)
    {
        _process = process;
        _readyLine = readyLine;
    }

    public int ProcessId => _process.Id;

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    /// <summary>Everything kept of stdout and stderr, as lines.</summary>
    public string Output { get { lock (_lines) return string.Join('\n', _lines); } }

    public string Tail(int lines = 20)
    {
        lock (_lines) return string.Join('\n', _lines.TakeLast(lines));
    }

    /// <summary>Lines of the output that look like warnings or errors (Microsoft.Extensions.Logging's warn:/fail:/crit:).</summary>
    public int ProblemCount { get { lock (_lines) return _problemCount; } }

    /// <summary>The first few warning or error lines, header and message joined.</summary>
    public IReadOnlyList<string> Problems { get { lock (_lines) return [.. _problems]; } }

    /// <summary>Starts the program and waits until it prints <see cref="ChildStart.ReadyLine"/>; throws (and kills it) when it
    /// exits or the time runs out first.</summary>
    public static async Task<ChildProgram> StartAsync(ChildStart start, CancellationToken ct = default)
    {
        var info = ChildProcess.StartInfo(start.FileName, start.Arguments, start.WorkingDirectory, start.WithoutInheritedOtel);
        foreach (var (key, value) in start.Environment)
        {
            if (value is null) info.Environment.Remove(key);
            else info.Environment[key] = value;
        }
        var process = new Process { StartInfo = info };
        var program = new ChildProgram(process, start.ReadyLine);
        process.OutputDataReceived += (_, e) => program.Record(e.Data);
        process.ErrorDataReceived += (_, e) => program.Record(e.Data);
        try
        {
            ChildProcess.Start(process);
        }
        catch
        {
            process.Dispose();
            throw;
        }
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        if (start.ReadyLine is null) return program;

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(start.ReadyTimeout);
        var exited = process.WaitForExitAsync(timeout.Token).ContinueWith(_ => { }, TaskScheduler.Default);
        if (await Task.WhenAny(program._ready.Task, exited) != program._ready.Task)
        {
            await program.DisposeAsync();
            ct.ThrowIfCancellationRequested();
            throw new UserFacingException($"{start.Name} did not print '{start.ReadyLine}' within {start.ReadyTimeout.TotalSeconds:F0} s; its last output:\n{program.Tail(50)}");
        }
        return program;
    }

    private void Record(string? line)
    {
        if (line is null) return;
        lock (_lines)
        {
            _lines.Enqueue(line);
            while (_lines.Count > KeptLines) _lines.Dequeue();
            // Microsoft.Extensions.Logging's console format: "warn: Category[id]" (also "fail:", "crit:"), then the
            // message on the following, indented line: that first message line is joined to its header.
            if (line.StartsWith("warn:", StringComparison.Ordinal) || line.StartsWith("fail:", StringComparison.Ordinal)
                || line.StartsWith("crit:", StringComparison.Ordinal))
            {
                _problemCount++;
                _joinNext = _problems.Count < ProblemsKept;
                if (_joinNext) _problems.Add(line);
            }
            else if (_joinNext)
            {
                _joinNext = false;
                var joined = _problems[^1] + " " + line.Trim();
                _problems[^1] = joined.Length > ProblemLength ? joined[..ProblemLength] + " ..." : joined;
            }
        }
        if (_readyLine is not null && line.Contains(_readyLine, StringComparison.Ordinal)) _ready.TrySetResult();
    }

    /// <summary>User + system CPU seconds of the program so far.</summary>
    public double? CpuSeconds() => ProcessStats.CpuSeconds(_process.Id);

    /// <summary>The program's peak resident set (VmHWM), in bytes.</summary>
    public long? PeakRssBytes() => ProcessStats.Status(_process.Id, "VmHWM:");

    /// <summary>The program's current resident set (VmRSS), in bytes.</summary>
    public long? RssBytes() => ProcessStats.Status(_process.Id, "VmRSS:");

    /// <summary>kill -9 of the program and its children: no shutdown code runs.</summary>
    public async Task KillAsync()
    {
        _process.Kill(entireProcessTree: true); // SIGKILL on Linux
        await _process.WaitForExitAsync();
    }

    /// <summary>SIGTERM: the host's graceful shutdown (its exporters flush); waits up to 30 s.</summary>
    public async Task StopAsync(bool throwOnTimeout = true)
    {
        if (_process.HasExited) return;
        using (var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])) await kill.WaitForExitAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try { await _process.WaitForExitAsync(timeout.Token); }
        catch (OperationCanceledException) when (!throwOnTimeout) { }
    }

    public void Dispose()
    {
        try { if (!_process.HasExited) _process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
        _process.Dispose();
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
                try { await _process.WaitForExitAsync(timeout.Token); } catch (OperationCanceledException) { }
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
        _process.Dispose();
    }
}
