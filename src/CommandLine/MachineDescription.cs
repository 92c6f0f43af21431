using System.Runtime.InteropServices;
using System.Runtime.Intrinsics.X86;
using System.Text.Json.Nodes;

namespace MovieRecommender.CommandLine;

/// <summary>What a report says about the machine it ran on: results differ from one session's machine to the next.</summary>
public static class MachineDescription
{
    /// <summary>The CPU's model name (/proc/cpuinfo), else the architecture.</summary>
    public static string CpuModel()
    {
        try
        {
            foreach (var line in File.ReadLines("/proc/cpuinfo"))
                if (line.StartsWith("model name", StringComparison.Ordinal) && line.IndexOf(':') is var colon and > 0)
                    return line[(colon + 1)..].Trim();
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
        return RuntimeInformation.ProcessArchitecture.ToString();
    }

    /// <summary>A training report's "machine" entry: the CPU, its cores, its widest vector instructions and the threads used.</summary>
    public static JsonObject ForTraining(int threads) => new()
    {
        ["cpuModel"] = CpuModel(),
        ["processorCount"] = Environment.ProcessorCount,
        ["vectorInstructions"] = VectorInstructions(),
        ["threads"] = threads,
    };

    /// <summary>The same for a console line: "CPU …, N cores, …; T threads."</summary>
    public static string TrainingSummary(int threads) =>
        $"CPU {CpuModel()}, {Environment.ProcessorCount} cores, {VectorInstructions()}; {threads} threads.";

    /// <summary>The widest x86 vector instruction set this CPU offers (what libtorch's and our kernels can dispatch to), else the architecture.</summary>
    public static string VectorInstructions() =>
        Avx512F.IsSupported ? "AVX-512F" : Avx2.IsSupported ? "AVX2" : Avx.IsSupported ? "AVX" : Sse42.IsSupported ? "SSE4.2" : RuntimeInformation.ProcessArchitecture.ToString();
}
