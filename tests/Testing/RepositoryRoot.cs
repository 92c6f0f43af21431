using MovieRecommender.CommandLine;

namespace MovieRecommender.Testing;

/// <summary>The repository's root (the folder holding Orleans.sln), the programs built in it and the commit checked out.</summary>
public static class RepositoryRoot
{
    public const string SolutionFile = "Orleans.sln";

    private static readonly Lazy<string?> Found = new(Find);

    /// <summary>The root; throws when neither the current folder nor the program's folder is inside the repository.</summary>
    public static string Path => Found.Value
        ?? throw new InvalidOperationException($"no {SolutionFile} above {Directory.GetCurrentDirectory()} or {AppContext.BaseDirectory}");

    /// <summary>The root, or null when it cannot be found.</summary>
    public static string? TryFind() => Found.Value;

    private static string? Find()
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var folder = new DirectoryInfo(start); folder is not null; folder = folder.Parent)
                if (File.Exists(System.IO.Path.Combine(folder.FullName, SolutionFile))) return folder.FullName;
        }
        return null;
    }

    /// <summary>The build configuration this program runs in (Release or Debug), read from its path.</summary>
    public static string Configuration { get; } =
        AppContext.BaseDirectory.Split(System.IO.Path.DirectorySeparatorChar).Contains("Debug") ? "Debug" : "Release";

    /// <summary>Where the DLL of a program of src/ (Client, Silo, Trainer) is built, whether it is there or not.</summary>
    public static string ProgramPath(string project, string? root = null, string? configuration = null) =>
        System.IO.Path.Combine(root ?? Path, "src", project, "bin", configuration ?? Configuration, "net10.0", $"MovieRecommender.{project}.dll");

    /// <summary>Where the benchmarks' DLL (bench/Benchmarks) is built, whether it is there or not.</summary>
    public static string BenchmarksPath =>
        System.IO.Path.Combine(Path, "bench", "Benchmarks", "bin", Configuration, "net10.0", "MovieRecommender.Benchmarks.dll");

    /// <summary>The built DLL of a program of src/ in this program's configuration; throws when it is not built.</summary>
    public static string ProgramDll(string project)
    {
        var dll = ProgramPath(project);
        if (!File.Exists(dll)) throw new InvalidOperationException($"{dll} is missing: build {SolutionFile} (-c {Configuration}) first");
        return dll;
    }

    /// <summary>
    /// The git commit checked out at <paramref name="root"/>, for a benchmark report (null when git or the repository is
    /// not there), with "-dirty" when tracked files differ from it. bench/results is left out of that check: a
    /// benchmark's own earlier reports are not the code it measured.
    /// </summary>
    public static async Task<string?> CommitAsync(string root, CancellationToken ct)
    {
        try
        {
            var head = await ChildProcess.RunAsync("git", ["rev-parse", "--short", "HEAD"], root, null, ct);
            if (head.ExitCode != 0)
                return null;
            var changes = await ChildProcess.RunAsync("git",
                ["status", "--porcelain", "--untracked-files=no", "--", ".", ":(exclude)bench/results"], root, null, ct);
            return changes.ExitCode == 0 && changes.StandardOutput.Trim().Length > 0 ? head.LastLine + "-dirty" : head.LastLine;
        }
        catch (UserFacingException)
        {
            return null;
        }
    }
}
