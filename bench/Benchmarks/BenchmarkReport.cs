using System.Text.Json;
using System.Text.Json.Nodes;
using MovieRecommender.Benchmarks.Telemetry;
using MovieRecommender.CommandLine;
using MovieRecommender.Index;
using Spectre.Console;

namespace MovieRecommender.Benchmarks;

/// <summary>What every benchmark command does around its measurement: builds the program it runs, describes the machine
/// and writes its JSON report.</summary>
public static class BenchmarkReport
{
    /// <summary>
    /// Writes the report, indented, to <paramref name="jsonPath"/> (its folder created) and says so; the machine's
    /// absolute paths in it are made relative first (<see cref="ReportPaths"/>).
    /// </summary>
    public static async Task WriteAsync(string jsonPath, JsonObject report, CancellationToken ct)
    {
        if (RepositoryRoot.TryFind() is { } root) ReportPaths.Anonymize(report, root);
        Directory.CreateDirectory(Path.GetDirectoryName(jsonPath)!);
        await File.WriteAllTextAsync(jsonPath, report.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n", ct);
        AnsiConsole.MarkupLineInterpolated($"Wrote [bold]{jsonPath}[/].");
    }

    /// <summary>A report's head: the benchmark, the run's name, when it started and the commit it ran.</summary>
    public static async Task<JsonObject> HeadAsync(string benchmark, string name, DateTime startedUtc, string root, CancellationToken ct) => new()
    {
        ["benchmark"] = benchmark,
        ["name"] = name,
        ["startedUtc"] = startedUtc.ToString("O", System.Globalization.CultureInfo.InvariantCulture),
        ["commit"] = await RepositoryRoot.CommitAsync(root, ct),
    };

    /// <summary>The machine: the CPU's model, the index kernels' and the CPU's vector instruction sets, processors, OS, .NET
    /// and the load average around the run.</summary>
    public static JsonObject Machine(double? loadAtStart, double? loadAtEnd)
    {
        var machine = new JsonObject
        {
            ["cpuModel"] = MachineDescription.CpuModel(),
            ["simd"] = SimdSupport.Best.ToString(),
            ["simdPath"] = BenchTools.SimdPath(),
            ["vectorInstructions"] = MachineDescription.VectorInstructions(),
        };
        machine["processorCount"] = Environment.ProcessorCount;
        machine["os"] = System.Runtime.InteropServices.RuntimeInformation.OSDescription;
        machine["dotnet"] = Environment.Version.ToString();
        machine["loadAverageAtStart"] = loadAtStart;
        machine["loadAverageAtEnd"] = loadAtEnd;
        return machine;
    }

    /// <summary>Builds src/<paramref name="project"/> in <paramref name="configuration"/> (Release unless told) when <paramref name="build"/>,
    /// then returns its DLL; throws when it is not there.</summary>
    /// <param name="what">For messages: "the silo", "the trainer".</param>
    public static async Task<string> EnsureBuiltAsync(string root, string project, string what, bool build, IAnsiConsole console, CancellationToken ct,
        string configuration = "Release")
    {
        var dll = RepositoryRoot.ProgramPath(project, root, configuration);
        if (build)
        {
            ChildResult result = null!;
            await console.Status().StartAsync($"Building src/{project} ({configuration}) ...",
                async _ => result = await ChildProcess.RunAsync(ChildProcess.DotnetHost(),
                    ["build", Path.Combine(root, "src", project, $"{project}.csproj"), "-c", configuration, "--nologo", "-v", "q", "-clp:ErrorsOnly"], root, null, ct));
            if (result.ExitCode != 0)
                throw new UserFacingException($"building src/{project} failed (exit {result.ExitCode}; pass --no-build to use the last build): {result.BuildErrors()}");
        }
        if (!File.Exists(dll))
            throw new UserFacingException($"{dll}: {what} is not built; run 'dotnet build src/{project} -c {configuration}' or drop --no-build.");
        return dll;
    }
}
