using System.Runtime.InteropServices;

namespace MovieRecommender.Trainer.Training;

/// <summary>
/// Makes libtorch's OpenMP threads sleep between parallel regions (OMP_WAIT_POLICY=PASSIVE) instead of spinning. On a
/// machine whose cores are busy with other work (a silo, other builds), a spinning thread burns the time slice the
/// thread it waits for needs: at a load average near 20, 3 epochs of small matrix products took 43 s with 2 spinning threads,
/// 3.6 s with 1 thread and 2.2 s with 2 passive ones. Must run before libtorch (and its libgomp) loads; .NET's own environment block is not the C library's,
/// hence setenv. A value the user set is kept. Linux (glibc) only; elsewhere a no-op.
/// </summary>
public static partial class OpenMpWaitPolicy
{
    public const string Variable = "OMP_WAIT_POLICY";

    public static void Apply()
    {
        if (!OperatingSystem.IsLinux() || Environment.GetEnvironmentVariable(Variable) is not null) return;
        try
        {
            SetEnv(Variable, "PASSIVE", 0);
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            // Not glibc: keep the default.
        }
    }

    [LibraryImport("libc", EntryPoint = "setenv", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int SetEnv(string name, string value, int overwrite);
}
