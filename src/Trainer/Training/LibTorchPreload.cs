using System.Runtime.InteropServices;

namespace MovieRecommender.Trainer.Training;

/// <summary>
/// Loads libtorch by full path from the NuGet packages folder before TorchSharp looks for it, when the trainer runs as
/// the .NET tool (whose package leaves libtorch out, see scripts/tools.sh). Otherwise TorchSharp first tries the
/// LibTorchSharp beside the tool, whose libc10.so the loader then takes from the system's library path: with Debian's
/// libtorch installed (python3-torch, which the training benchmark installs) that is another version, it stays loaded,
/// and TorchSharp's later attempt from the packages folder fails on a missing symbol. Loaded first, the right libc10
/// is the one every later library binds to. Linux only; a no-op where libtorch sits beside the program (a build).
/// </summary>
public static class LibTorchPreload
{
    private static readonly string[] Libraries = ["libc10.so", "libtorch_cpu.so", "libtorch.so"];

    public static void Apply()
    {
        if (!OperatingSystem.IsLinux()) return;
        var here = AppContext.BaseDirectory;
        if (File.Exists(Path.Combine(here, "libtorch_cpu.so")) || File.Exists(Path.Combine(here, "runtimes", "linux-x64", "native", "libtorch_cpu.so"))) return;
        var packages = Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } set ? set
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        var root = Path.Combine(packages, "libtorch-cpu-linux-x64");
        if (!Directory.Exists(root)) return;
        var native = Directory.GetDirectories(root).OrderDescending(StringComparer.Ordinal)
            .Select(version => Path.Combine(version, "runtimes", "linux-x64", "native"))
            .FirstOrDefault(folder => Libraries.All(lib => File.Exists(Path.Combine(folder, lib))));
        if (native is null) return;
        foreach (var library in Libraries) NativeLibrary.TryLoad(Path.Combine(native, library), out _);
    }
}
