using System.Collections.Concurrent;
using System.Globalization;
using System.Text.RegularExpressions;
using MovieRecommender.Testing;

namespace MovieRecommender.CommandLine.Tests;

/// <summary>
/// Every option and argument of the console, the trainer and the benchmarks, found by reading the real programs'
/// <c>--help</c> (so an option added later is covered without editing this test), given each malformed value that
/// applies to what its help says it expects (not a number, overflow, negative, zero, empty, blank, very long,
/// non-ASCII, a path that is missing, is a file, is a folder or cannot be written). Each case is one run of the real
/// program with no silo: it must exit 2 with one line on stderr that starts with the program's name and names the
/// option, without a stack trace, before connecting anywhere.
/// </summary>
public sealed partial class MalformedValueTests
{
    private static readonly string[] Programs =
    [
        RepositoryRoot.ProgramPath("Client"),
        RepositoryRoot.ProgramPath("Trainer"),
        RepositoryRoot.BenchmarksPath,
    ];

    private static readonly SemaphoreSlim Slots = new(Math.Max(2, Environment.ProcessorCount * 2));

    /// <summary>One option or argument as its command's help shows it.</summary>
    private sealed record Symbol(string Program, string Dll, string Command, string Name, bool IsArgument, string? Rule, bool Required, bool TakesValue);

    private sealed record Case(Symbol Symbol, string Kind, string Value, string[] Arguments);

    [Fact]
    public async Task EveryOptionAnswersEachMalformedValueWithOneLineAndExit2()
    {
        using var work = new TempFolder();
        var symbols = new List<Symbol>();
        foreach (var dll in Programs) symbols.AddRange(await ReadTreeAsync(dll, work.Path));

        // Every valued option says what it expects: that is what the help shows users and what the cases come from.
        var undeclared = symbols.Where(s => s.TakesValue && s.Rule is null).Select(s => $"{s.Program} {s.Command} {s.Name}").ToList();
        Assert.True(undeclared.Count == 0, $"options without a declared expectation: {string.Join(", ", undeclared)}");
        Assert.True(symbols.Any(s => s is { Program: "recommender", Command: "recommend", Name: "--year-from" }), $"recommender recommend --year-from not found in: {string.Join(", ", symbols.Select(s => $"{s.Program} {s.Command} {s.Name}"))}");
        Assert.True(symbols.Any(s => s is { Program: "recommender-trainer", Command: "train", Name: "--dim" }), $"recommender-trainer train --dim not found in: {string.Join(", ", symbols.Select(s => $"{s.Program} {s.Command} {s.Name}"))}");
        Assert.True(symbols.Any(s => s is { Program: "benchmarks", Command: "index", Name: "--queries" }), $"benchmarks index --queries not found in: {string.Join(", ", symbols.Select(s => $"{s.Program} {s.Command} {s.Name}"))}");

        // An option shared by several commands (the same name and rule: one helper's check) is tried on the first.
        var cases = symbols.Where(s => s.TakesValue).DistinctBy(s => (s.Program, s.Name, s.Rule))
            .SelectMany(s => BadValues(s, work.Path).Select(v => new Case(s, v.Kind, v.Value, CommandLine(s, v.Value, symbols, work.Path))))
            .ToList();
        var failures = new ConcurrentBag<string>();
        var answers = new ConcurrentBag<string>();
        await Task.WhenAll(cases.Select(async c =>
        {
            var result = await RunAsync(c.Symbol.Dll, c.Arguments, work.Path);
            var lines = result.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            var shown = $"{c.Symbol.Program} {string.Join(' ', c.Arguments.Select(Quote))}";
            answers.Add($"{shown} → exit {result.ExitCode}: {string.Join(" | ", lines)}");
            var problems = new List<string>();
            if (result.ExitCode != 2) problems.Add($"exit {result.ExitCode}");
            if (lines.Length != 1) problems.Add($"{lines.Length} stderr lines");
            else
            {
                if (!lines[0].StartsWith($"{c.Symbol.Program}: ", StringComparison.Ordinal)) problems.Add("does not start with the program name");
                if (!lines[0].Contains(c.Symbol.Name, StringComparison.Ordinal)) problems.Add($"does not name {c.Symbol.Name}");
            }
            if (result.StandardError.Contains("Exception", StringComparison.Ordinal) || result.StandardError.Contains("   at ", StringComparison.Ordinal))
                problems.Add("a stack trace");
            if (problems.Count > 0) failures.Add($"{shown} ({c.Kind}): {string.Join(", ", problems)}; stderr: {result.Tail(3)}");
        }));

        File.WriteAllLines(Path.Combine(Path.GetTempPath(), "movierecommender-cli-fuzz-answers.txt"), answers.Order(StringComparer.Ordinal));
        Assert.True(cases.Count > 200, $"only {cases.Count} cases were generated");
        Assert.True(failures.IsEmpty, $"{failures.Count} of {cases.Count} cases failed:\n{string.Join("\n", failures.Order(StringComparer.Ordinal).Take(40))}");
    }

    /// <summary>The malformed values that apply to what a symbol expects, each with what kind of bad it is.</summary>
    private static IEnumerable<(string Kind, string Value)> BadValues(Symbol symbol, string work)
    {
        var rule = symbol.Rule!;
        var common = new[] { ("empty", ""), ("whitespace", "   ") };
        if (NumberRule().Match(rule) is { Success: true } number)
        {
            var min = double.Parse(number.Groups["min"].Value, CultureInfo.InvariantCulture);
            var exclusive = number.Groups["bound"].Value == "greater than";
            foreach (var value in common) yield return value;
            yield return ("not a number", "abc");
            yield return ("overflow", new string('9', 400));
            yield return ("non-ASCII digits", "٤٢");
            if (min >= 0) yield return ("negative", "-1");
            if (min > 0 || exclusive && min >= 0) yield return ("zero", "0");
            yield break;
        }
        switch (rule)
        {
            case "an existing folder":
                foreach (var value in common) yield return value;
                yield return ("missing non-ASCII path", Path.Combine(work, "no-such-café"));
                yield return ("a file", Path.Combine(RepositoryRoot.Path, "README.md"));
                yield return ("very long", Path.Combine(work, new string('x', 5000)));
                yield break;
            case "an existing file":
                foreach (var value in common) yield return value;
                yield return ("missing path", Path.Combine(work, "no-such-file.csv"));
                yield return ("a folder", RepositoryRoot.Path);
                yield return ("very long", Path.Combine(work, new string('x', 5000)));
                yield break;
            case "a file path that can be written":
                foreach (var value in common) yield return value;
                yield return ("a folder", work);
                yield return ("not writable", "/proc/no-such-folder/out.json");
                yield return ("under a file", Path.Combine(RepositoryRoot.Path, "README.md", "out.json"));
                yield break;
            case "a folder path that can be written":
                foreach (var value in common) yield return value;
                yield return ("a file", Path.Combine(RepositoryRoot.Path, "README.md"));
                yield return ("not writable", "/proc/no-such-folder");
                yield break;
            case "true or false":
                yield return ("not a boolean", "maybe");
                yield break;
        }
        foreach (var value in common) yield return value;
        if (rule.StartsWith("a non-blank text of at most ", StringComparison.Ordinal))
        {
            var max = int.Parse(rule.Split(' ')[^2], CultureInfo.InvariantCulture);
            yield return ("very long", new string('x', max + 1));
        }
        else
        {
            // A choice or a format of its own (ids, ranges, feature lists): neither takes this.
            yield return ("non-ASCII", "ñé-bogus");
            yield return ("very long", new string('x', 5000));
        }
    }

    /// <summary>The command line that gives <paramref name="value"/> to the symbol and a good value to every other required one.</summary>
    private static string[] CommandLine(Symbol symbol, string value, List<Symbol> all, string work)
    {
        var arguments = new List<string> { symbol.Command };
        foreach (var other in all.Where(s => s.Dll == symbol.Dll && s.Command == symbol.Command && s.IsArgument))
            arguments.Add(other == symbol ? value : GoodValue(other, work));
        if (!symbol.IsArgument) arguments.AddRange([symbol.Name, value]);
        foreach (var other in all.Where(s => s.Dll == symbol.Dll && s.Command == symbol.Command && s is { IsArgument: false, Required: true } && s != symbol))
            arguments.AddRange([other.Name, GoodValue(other, work)]);
        return [.. arguments];
    }

    private static string GoodValue(Symbol symbol, string work)
    {
        var rule = symbol.Rule ?? "";
        if (NumberRule().Match(rule) is { Success: true } number)
        {
            var min = double.Parse(number.Groups["min"].Value, CultureInfo.InvariantCulture);
            return (number.Groups["bound"].Value == "greater than" ? min + 1 : min).ToString(CultureInfo.InvariantCulture);
        }
        if (Example().Match(rule) is { Success: true } example) return example.Groups["value"].Value;
        return rule switch
        {
            "an existing folder" => work,
            "an existing file" => Path.Combine(RepositoryRoot.Path, "README.md"),
            "a file path that can be written" => Path.Combine(work, "out.txt"),
            "a folder path that can be written" => Path.Combine(work, "out"),
            _ => "x",
        };
    }

    /// <summary>The commands of a program and each one's arguments and options, read from <c>--help</c>.</summary>
    private static async Task<List<Symbol>> ReadTreeAsync(string dll, string work)
    {
        Assert.True(File.Exists(dll), $"{dll} is missing: build {RepositoryRoot.SolutionFile} (-c {RepositoryRoot.Configuration}) first");
        var help = await RunAsync(dll, ["--help"], work);
        Assert.Equal(0, help.ExitCode);
        var program = UsageLine().Match(help.StandardOutput).Groups["program"].Value;
        var commands = Section(help.StandardOutput, "Commands").Select(l => l.Head.Split(' ')[0]).ToList();
        Assert.NotEmpty(commands);
        var symbols = new List<Symbol>();
        foreach (var command in commands)
        {
            var text = (await RunAsync(dll, [command, "--help"], work)).StandardOutput;
            foreach (var (head, description) in Section(text, "Arguments"))
                symbols.Add(new Symbol(program, dll, command, head.Trim(), true, RuleOf(description), true, true));
            foreach (var (head, description) in Section(text, "Options"))
            {
                var aliases = head.Split('<')[0].Replace("(REQUIRED)", "", StringComparison.Ordinal).Split([',', ' '], StringSplitOptions.RemoveEmptyEntries);
                if (aliases.Any(a => a is "--help" or "--version")) continue;
                var names = aliases.OrderByDescending(a => a.StartsWith("--", StringComparison.Ordinal)).ThenByDescending(a => a.Length).First();
                symbols.Add(new Symbol(program, dll, command, names, false, RuleOf(description), head.Contains("(REQUIRED)", StringComparison.Ordinal), head.Contains('<')));
            }
        }
        return symbols;
    }

    /// <summary>The lines of a help section as (name column, description), continuation lines joined.</summary>
    private static List<(string Head, string Description)> Section(string help, string title)
    {
        var rows = new List<(string, string)>();
        var inside = false;
        foreach (var line in help.ReplaceLineEndings("\n").Split('\n'))
        {
            if (line == $"{title}:") { inside = true; continue; }
            if (!inside) continue;
            if (line.Length == 0 || !line.StartsWith(' ')) break;
            var match = HelpRow().Match(line);
            if (match.Success) rows.Add((match.Groups["head"].Value.Trim(), match.Groups["description"].Value.Trim()));
            else if (rows.Count > 0) rows[^1] = (rows[^1].Item1, $"{rows[^1].Item2} {line.Trim()}");
        }
        return rows;
    }

    /// <summary>What the description says the symbol expects: its last parenthesised clause.</summary>
    private static string? RuleOf(string description)
    {
        var text = DefaultSuffix().Replace(description.Replace("(REQUIRED)", "", StringComparison.Ordinal), "").TrimEnd();
        if (!text.EndsWith(')')) return null;
        var depth = 0;
        for (var i = text.Length - 1; i >= 0; i--)
        {
            if (text[i] == ')') depth++;
            else if (text[i] == '(' && --depth == 0) return text[(i + 1)..^1];
        }
        return null;
    }

    private static async Task<ChildResult> RunAsync(string dll, IReadOnlyList<string> arguments, string work)
    {
        await Slots.WaitAsync();
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            // No silo, no data set, no download: a value the program wrongly accepted fails fast instead of running.
            var environment = new Dictionary<string, string>
            {
                ["Cluster__GatewayPort"] = "1",
                ["MOVIELENS_DIR"] = Path.Combine(work, "no-such-data"),
            };
            return await ChildProcess.RunAsync(ChildProcess.DotnetHost(), [dll, .. arguments], work, environment, timeout.Token, withoutInheritedOtel: true);
        }
        finally
        {
            Slots.Release();
        }
    }

    private static string Quote(string value) =>
        value.Length > 60 ? $"'{value[..20]}...({value.Length} chars)'" : value.Length == 0 || value.Any(char.IsWhiteSpace) ? $"'{value}'" : value;

    [GeneratedRegex(@"^(?<type>an integer|a number) (?<bound>from|of at least|greater than) (?<min>-?[0-9.E+]+)")]
    private static partial Regex NumberRule();

    [GeneratedRegex(@"e\.g\. (?<value>[^)\s,]+)")]
    private static partial Regex Example();

    [GeneratedRegex(@"Usage:\s+(?<program>\S+) ")]
    private static partial Regex UsageLine();

    [GeneratedRegex(@"^  (?<head>\S.*?)(\s{2,}(?<description>.*))?$")]
    private static partial Regex HelpRow();

    [GeneratedRegex(@"\s*\[default: [^\]]*\]\s*$")]
    private static partial Regex DefaultSuffix();
}
