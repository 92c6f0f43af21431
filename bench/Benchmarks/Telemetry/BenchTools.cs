using System.Globalization;
using System.Runtime.Intrinsics;
using System.Text.Json.Nodes;
using MovieRecommender.CommandLine;
using MovieRecommender.Index;

namespace MovieRecommender.Benchmarks.Telemetry;

/// <summary>The built programs (silo, client, trainer), the machine's description, and the OTEL_* hygiene of this process.</summary>
public sealed class BenchTools
{
    private BenchTools(string root)
    {
        Root = root;
        SiloDll = RepositoryRoot.ProgramPath("Silo", root, "Release");
        ClientDll = RepositoryRoot.ProgramPath("Client", root, "Release");
        TrainerDll = RepositoryRoot.ProgramPath("Trainer", root, "Release");
    }

    public string Root { get; }
    public string SiloDll { get; }
    public string ClientDll { get; }
    public string TrainerDll { get; }

    /// <summary>Finds the repository, builds the solution when asked, checks the three programs are there.</summary>
    public static async Task<BenchTools> PrepareAsync(bool build, CancellationToken ct)
    {
        var root = RepositoryRoot.TryFind()
            ?? throw new UserFacingException($"cannot find the repository ({RepositoryRoot.SolutionFile}) above {Directory.GetCurrentDirectory()}; run from inside it.");
        var tools = new BenchTools(root);
        if (build)
        {
            foreach (var project in new[] { "Silo", "Client", "Trainer" })
            {
                var result = await ChildProcess.RunAsync(ChildProcess.DotnetHost(),
                    ["build", Path.Combine(root, "src", project), "-c", "Release", "--nologo", "-v", "q", "-clp:ErrorsOnly"], root, null, ct);
                if (result.ExitCode != 0) throw new UserFacingException($"building src/{project} failed: {result.BuildErrors()}");
            }
        }
        foreach (var dll in new[] { tools.SiloDll, tools.ClientDll, tools.TrainerDll })
            if (!File.Exists(dll)) throw new UserFacingException($"{dll} is not built; run 'dotnet build Orleans.sln -c Release' or pass --build.");
        return tools;
    }

    /// <summary>
    /// Removes every OTEL_* variable from this process's environment (so a child exports only when told to) and
    /// returns what was there.
    /// </summary>
    public static IReadOnlyDictionary<string, string> ScrubOtelEnvironment()
    {
        var removed = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (System.Collections.DictionaryEntry entry in Environment.GetEnvironmentVariables())
        {
            var key = (string)entry.Key;
            if (!key.StartsWith("OTEL_", StringComparison.Ordinal)) continue;
            removed[key] = (string?)entry.Value ?? "";
            Environment.SetEnvironmentVariable(key, null);
        }
        return removed;
    }

    /// <summary>The index scan kernels' instruction set on this CPU (what the silo's shards run) and the vector widths .NET accelerates.</summary>
    public static string SimdPath() =>
        $"{SimdSupport.Best} (index scan kernels; Vector512 {(Vector512.IsHardwareAccelerated ? "yes" : "no")}, Vector256 {(Vector256.IsHardwareAccelerated ? "yes" : "no")})";

    public static string F(double? value, string format = "F1") =>
        value is { } v ? v.ToString(format, CultureInfo.InvariantCulture) : "-";
}
