using System.Globalization;

namespace MovieRecommender.Benchmarks.Training;

/// <summary>Where things are: the repository root, the trainer, the PyTorch script; and how busy the machine is.</summary>
public static class BenchmarkEnvironment
{
    public const string SolutionFile = "Orleans.sln";

    /// <summary>The folder holding Orleans.sln, walking up from the current folder, then from the program's folder; null if neither finds it.</summary>
    public static string? FindRepositoryRoot()
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, SolutionFile))) return dir.FullName;
        }
        return null;
    }

    /// <summary>The <c>dotnet</c> host that runs the trainer: the SDK's own when it told us (DOTNET_HOST_PATH), else the one on PATH.</summary>
    public static string DotnetHost() =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";

    /// <summary>The 1-minute load average from /proc/loadavg, or null where there is none.</summary>
    public static double? LoadAverage()
    {
        try
        {
            var first = File.ReadAllText("/proc/loadavg").Split(' ', StringSplitOptions.RemoveEmptyEntries)[0];
            return double.Parse(first, CultureInfo.InvariantCulture);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            return null;
        }
    }
}
