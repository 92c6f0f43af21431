using System.Diagnostics;
using System.Runtime.InteropServices;

namespace MovieRecommender.Benchmarks.Index;

/// <summary>
/// The calling thread's CPU time (Linux CLOCK_THREAD_CPUTIME_ID). On a machine shared with other builds, wall time
/// counts the time the query thread waited for a core; CPU time counts only the work, so speed-ups measured minutes
/// apart (the exact scan first, the last IVF setting much later) stay comparable while the load changes.
/// </summary>
public static class ThreadCpuTime
{
    private const int ClockThreadCpuTimeId = 3;

    /// <summary>Whether this platform reports thread CPU time (else <see cref="Seconds"/> is wall time).</summary>
    public static bool Available { get; } = OperatingSystem.IsLinux() && TryRead(out _);

    public static double Seconds() => Available && TryRead(out var seconds) ? seconds : Stopwatch.GetTimestamp() / (double)Stopwatch.Frequency;

    private static bool TryRead(out double seconds)
    {
        seconds = 0;
        try
        {
            if (clock_gettime(ClockThreadCpuTimeId, out var time) != 0) return false;
            seconds = time.Seconds + time.Nanoseconds * 1e-9;
            return true;
        }
        catch (DllNotFoundException)
        {
            return false;
        }
        catch (EntryPointNotFoundException)
        {
            return false;
        }
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    [DllImport("libc", CallingConvention = CallingConvention.Cdecl)]
    private static extern int clock_gettime(int clock, out TimeSpec time);
}
