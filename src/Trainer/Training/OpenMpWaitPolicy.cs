using System.Runtime.InteropServices;

namespace MovieRecommender.Trainer.Training;

/// <summary>
/// How libtorch's OpenMP threads wait between parallel regions: a short spin, then sleep
/// (OMP_WAIT_POLICY=PASSIVE with GOMP_SPINCOUNT=1000, about 10 µs). A training step is hundreds of small operations, each
/// its own parallel region, so the wait policy decides much of its time:
/// <list type="bullet">
/// <item>libgomp's default spins for about 3 ms. On a busy machine a spinning thread burns the time slice the thread
/// it waits for needs: at a load average near 20, 3 epochs took 43 s with 2 spinning threads and 2.2 s with 2 passive ones.</item>
/// <item>Sleeping at once (spin 0) pays a futex wake-up per operation: ML-100K's default training, 2 threads, idle
/// machine, 20 epochs, took 3.4–3.9 s against 2.2–2.5 s with a spin of 1,000 or 3,000 (2.6–2.7 s on 1 thread).</item>
/// <item>With a busy loop on each core beside it, the same run took 4.2–4.3 s at spin 0, 5.1–5.4 s at 1,000 and 9.0–9.4 s at 10,000:
/// a short spin costs little when the cores are taken, a long one doubles the time.</item>
/// </list>
/// Must run before libtorch (and its libgomp) loads; .NET's own environment block is not the C library's, hence setenv.
/// When the user set either variable, both are left to them. Linux (glibc) only; elsewhere a no-op.
/// </summary>
public static partial class OpenMpWaitPolicy
{
    public const string PolicyVariable = "OMP_WAIT_POLICY";
    public const string SpinCountVariable = "GOMP_SPINCOUNT";

    /// <summary>What <see cref="Apply"/> sets: the policy, and the spins before a thread sleeps.</summary>
    public static IReadOnlyList<KeyValuePair<string, string>> Settings { get; } =
        [new(PolicyVariable, "PASSIVE"), new(SpinCountVariable, "1000")];

    public static void Apply()
    {
        if (!OperatingSystem.IsLinux() || Settings.Any(s => Environment.GetEnvironmentVariable(s.Key) is not null)) return;
        try
        {
            foreach (var (name, value) in Settings) SetEnv(name, value, 0);
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            // Not glibc: keep the default.
        }
    }

    [LibraryImport("libc", EntryPoint = "setenv", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int SetEnv(string name, string value, int overwrite);
}
