using System.Runtime.InteropServices;

namespace MovieRecommender.Trainer.Training;

/// <summary>
/// Keeps glibc's allocator from handing every large tensor back to the kernel. Each in-batch step allocates
/// several batch x batch buffers (268 MB at batch 8192); by default glibc maps each with mmap and unmaps it on
/// free, so the next step faults every page in again: profiling showed half the CPU time in the kernel.
/// With mmap off and trimming raised, freed blocks are reused. Linux (glibc) only; elsewhere a no-op.
/// </summary>
public static partial class NativeMemoryTuning
{
    private const int TrimThreshold = -1; // M_TRIM_THRESHOLD
    private const int MmapMax = -4;       // M_MMAP_MAX

    public static void Apply()
    {
        if (!OperatingSystem.IsLinux()) return;
        try
        {
            Mallopt(MmapMax, 0);
            Mallopt(TrimThreshold, 1 << 30);
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            // Not glibc (e.g. musl): keep its defaults.
        }
    }

    [LibraryImport("libc", EntryPoint = "mallopt")]
    private static partial int Mallopt(int parameter, int value);
}
