using System.Collections.Concurrent;

namespace MovieRecommender.CommandLine.Tests;

/// <summary>
/// Every command line the README and the reference pages show names a real command and only options that command's
/// real <c>--help</c> lists (a script's: its header comment, which is what its <c>--help</c> prints), so the pages stay
/// true to the programs as either changes.
/// </summary>
public sealed class DocumentedCommandsTests
{
    private static readonly Dictionary<string, string> Programs = new()
    {
        ["recommender"] = RepositoryRoot.ProgramPath("Client"),
        ["recommender-trainer"] = RepositoryRoot.ProgramPath("Trainer"),
        ["benchmarks"] = RepositoryRoot.BenchmarksPath,
    };

    [Fact]
    public async Task EveryDocumentedCommandAndOptionIsInItsHelp()
    {
        var root = RepositoryRoot.Path;
        var commands = DocumentedCommands.Pages(root).SelectMany(page => DocumentedCommands.Read(root, page)).ToList();
        // The pages show the programs at work; a reader that found nothing would make this test pass for nothing.
        Assert.True(commands.Count >= 60, $"only {commands.Count} documented commands found");
        foreach (var program in Programs.Keys.Append("run.sh"))
            Assert.Contains(commands, c => c.Program == program);

        var helps = new ConcurrentDictionary<(string Program, string? Command), Task<string>>();
        Task<string> Help(string program, string? command) => helps.GetOrAdd((program, command), key => HelpAsync(key.Program, key.Command));

        var faults = new List<string>();
        foreach (var c in commands)
        {
            var where = $"{c.Page}:{c.Line} '{c.Text}'";
            if (!Programs.ContainsKey(c.Program))
            {
                var header = DocumentedCommands.ScriptHeader(root, c.Program);
                if (c.Subcommand is { } word && !DocumentedCommands.Lists(header, word)) faults.Add($"{where}: {c.Program} does not describe '{word}'");
                faults.AddRange(c.Options.Where(o => !DocumentedCommands.Lists(header, o)).Select(o => $"{where}: {c.Program} does not describe {o}"));
                var train = await Help("recommender-trainer", "train");
                faults.AddRange(c.TrainOptions.Where(o => !DocumentedCommands.Lists(train, o)).Select(o => $"{where}: train has no {o}"));
                continue;
            }
            if (c.Subcommand is not { } subcommand)
            {
                faults.Add($"{where}: no command given to {c.Program}");
                continue;
            }
            if (!DocumentedCommands.Lists(await Help(c.Program, null), subcommand))
            {
                faults.Add($"{where}: {c.Program} has no command '{subcommand}'");
                continue;
            }
            var help = await Help(c.Program, subcommand);
            faults.AddRange(c.Options.Where(o => !DocumentedCommands.Lists(help, o)).Select(o => $"{where}: '{c.Program} {subcommand} --help' lists no {o}"));
        }
        Assert.True(faults.Count == 0, $"{faults.Count} documented commands disagree with the programs:\n{string.Join('\n', faults)}");
    }

    [Fact]
    public void TheReaderFindsCommandsOptionsAndWhatRunShHandsToTrain()
    {
        var lines = DocumentedCommands.Parse("page.md", 1,
            "MOVIELENS_DIR=x ./run.sh --dashboard -- --preset notebook; eval \"$(scripts/cluster.sh env)\"  # comment --not-an-option").ToList();
        Assert.Equal(2, lines.Count);
        Assert.Equal(("run.sh", null), (lines[0].Program, lines[0].Subcommand));
        Assert.Equal(["--dashboard"], lines[0].Options);
        Assert.Equal(["--preset"], lines[0].TrainOptions);
        Assert.Equal(("scripts/cluster.sh", "env"), (lines[1].Program, lines[1].Subcommand));

        var bench = Assert.Single(DocumentedCommands.Parse("page.md", 2, "dotnet run -c Release --project bench/Benchmarks -- serve --movies 10 --index int8 auto"));
        Assert.Equal(("benchmarks", "serve"), (bench.Program, bench.Subcommand));
        Assert.Equal(["--movies", "--index"], bench.Options);

        var console = Assert.Single(DocumentedCommands.Parse("page.md", 3, "dotnet recommender recommend 42 196 [-k 10] [--genre \"Film-Noir\"]"));
        Assert.Equal("recommend", console.Subcommand);
        Assert.Equal(["-k", "--genre"], console.Options);

        Assert.Empty(DocumentedCommands.Parse("page.md", 4, "curl -s 'http://127.0.0.1:8080/v1/versions' --json"));
        Assert.True(DocumentedCommands.Lists("  -k, --k <k>  how many", "-k"));
        Assert.False(DocumentedCommands.Lists("  --user-shards <n>", "--user"));
    }

    private static async Task<string> HelpAsync(string program, string? command)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        string[] arguments = command is null ? [Programs[program], "--help"] : [Programs[program], command, "--help"];
        var result = await ChildProcess.RunAsync(ChildProcess.DotnetHost(), arguments, RepositoryRoot.Path, environment: null, timeout.Token, withoutInheritedOtel: true);
        Assert.True(result.ExitCode == 0, $"{program} {command} --help exited {result.ExitCode}: {result.StandardError}");
        return result.StandardOutput;
    }
}
