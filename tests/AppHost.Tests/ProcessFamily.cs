using System.Globalization;

namespace MovieRecommender.AppHost.Tests;

/// <summary>One process as /proc shows it; the start time (clock ticks since boot) tells it apart from a later process
/// given the same id.</summary>
public sealed record ProcessEntry(int Pid, long StartTime, int ParentPid, string CommandLine)
{
    public override string ToString() => $"{Pid} {CommandLine}";
}

/// <summary>
/// The processes an AppHost started, as seen in /proc: its descendants, and those of every process carrying a marker
/// variable in its environment. The marker is needed because DCP leaves the AppHost's process tree (its API server is
/// re-parented to init) and keeps the AppHost's environment, which the resources it starts inherit in turn.
/// </summary>
public sealed class ProcessFamily(int rootPid, string markerVariable, string markerValue)
{
    private readonly Dictionary<(int Pid, long StartTime), ProcessEntry> _seen = [];

    /// <summary>Every member seen so far by <see cref="Observe"/>.</summary>
    public IReadOnlyCollection<ProcessEntry> Seen { get { lock (_seen) return [.. _seen.Values]; } }

    /// <summary>Adds the members alive now.</summary>
    public void Observe()
    {
        var all = Snapshot();
        var members = all.Where(p => p.Pid == rootPid || HasMarker(p.Pid)).Select(p => p.Pid).ToHashSet();
        bool grew;
        do
        {
            grew = false;
            foreach (var p in all)
                if (!members.Contains(p.Pid) && members.Contains(p.ParentPid)) grew = members.Add(p.Pid) || grew;
        }
        while (grew);
        lock (_seen)
            foreach (var p in all.Where(p => members.Contains(p.Pid))) _seen.TryAdd((p.Pid, p.StartTime), p);
    }

    /// <summary>The members seen that are still alive (the same process, not a new one with a reused id).</summary>
    public IReadOnlyList<ProcessEntry> Alive()
    {
        var now = Snapshot().Select(p => (p.Pid, p.StartTime)).ToHashSet();
        return [.. Seen.Where(p => now.Contains((p.Pid, p.StartTime)))];
    }

    /// <summary>kill -9 of the members still alive: a failed test leaves nothing behind either.</summary>
    public void KillAlive()
    {
        foreach (var p in Alive())
        {
            try { System.Diagnostics.Process.GetProcessById(p.Pid).Kill(); } catch (Exception e) when (e is ArgumentException or InvalidOperationException) { }
        }
    }

    private bool HasMarker(int pid)
    {
        try
        {
            var environ = File.ReadAllText($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/environ");
            return environ.Split('\0').Contains($"{markerVariable}={markerValue}");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    private static List<ProcessEntry> Snapshot()
    {
        var list = new List<ProcessEntry>();
        foreach (var folder in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(folder), NumberStyles.None, CultureInfo.InvariantCulture, out var pid)) continue;
            try
            {
                var stat = File.ReadAllText(Path.Combine(folder, "stat"));
                // Fields after the command name (which may hold spaces, inside parentheses): state is field 3.
                var rest = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                var parent = int.Parse(rest[1], CultureInfo.InvariantCulture);
                var startTime = long.Parse(rest[19], CultureInfo.InvariantCulture);
                var commandLine = File.ReadAllText(Path.Combine(folder, "cmdline")).Replace('\0', ' ').Trim();
                list.Add(new ProcessEntry(pid, startTime, parent, commandLine));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException or ArgumentOutOfRangeException)
            {
                // Gone while being read.
            }
        }
        return list;
    }
}
