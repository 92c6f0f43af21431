using System.Text;
using System.Text.RegularExpressions;

namespace MovieRecommender.CommandLine.Tests;

/// <summary>
/// The command lines the README and the reference pages show, read out of their fenced blocks: the console
/// (<c>dotnet recommender ...</c>), the trainer (<c>dotnet recommender-trainer ...</c>), the benchmarks
/// (<c>dotnet run ... --project bench/Benchmarks -- ...</c>), <c>./run.sh</c> and <c>scripts/*.sh</c>. Other lines
/// (curl, export, diagrams) are not commands of ours and are left alone.
/// </summary>
public static partial class DocumentedCommands
{
    /// <summary>The pages whose commands must be true: the README, docs/, the benchmarks' page and the index library's page.</summary>
    public static IReadOnlyList<string> Pages(string root) =>
    [
        "README.md",
        .. Directory.GetFiles(Path.Combine(root, "docs"), "*.md").Select(p => Path.GetRelativePath(root, p)).Order(StringComparer.Ordinal),
        "bench/README.md",
        "src/Index/README.md",
    ];

    /// <summary>One command as a page shows it: which program, its subcommand (or null), and every option it names.</summary>
    /// <param name="Program">recommender, recommender-trainer, benchmarks, or a script's path from the root (run.sh, scripts/cluster.sh).</param>
    /// <param name="TrainOptions">For <c>./run.sh -- ...</c>: the options after <c>--</c>, which run.sh hands to <c>train</c>.</param>
    public sealed record Command(string Page, int Line, string Text, string Program, string? Subcommand, IReadOnlyList<string> Options,
        IReadOnlyList<string> TrainOptions);

    /// <param name="page">The page's path from <paramref name="root"/>, as faults name it.</param>
    public static IEnumerable<Command> Read(string root, string page)
    {
        var lines = File.ReadAllLines(Path.Combine(root, page));
        var inBlock = false;
        var language = "";
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i];
            if (line.TrimStart().StartsWith("```", StringComparison.Ordinal))
            {
                inBlock = !inBlock;
                language = inBlock ? line.Trim()[3..].Trim() : "";
                continue;
            }
            if (!inBlock || language is not ("" or "bash" or "sh" or "shell")) continue;
            foreach (var command in Parse(page, i + 1, line)) yield return command;
        }
    }

    /// <summary>The commands of ours on one line: after a comment is cut, split at <c>;</c> and <c>&amp;&amp;</c>, inside <c>eval "$(...)"</c> too.</summary>
    public static IEnumerable<Command> Parse(string page, int lineNumber, string line)
    {
        foreach (var part in StripComment(line).Split([";", "&&"], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var command = EvalSubstitution().Match(part) is { Success: true } eval ? eval.Groups["inner"].Value : part;
            var tokens = Tokens(command).SkipWhile(t => EnvironmentAssignment().IsMatch(t)).ToList();
            if (Recognize(page, lineNumber, part, tokens) is { } recognized) yield return recognized;
        }
    }

    private static Command? Recognize(string page, int line, string text, List<string> tokens)
    {
        if (tokens.Count == 0) return null;
        string program;
        List<string> rest;
        if (tokens is ["dotnet", "recommender", .. var console]) (program, rest) = ("recommender", console);
        else if (tokens is ["dotnet", "recommender-trainer", .. var trainer]) (program, rest) = ("recommender-trainer", trainer);
        else if (tokens[0] == "dotnet" && tokens.IndexOf("--project") is var p and > 0 && p + 1 < tokens.Count
                 && tokens[p + 1].TrimEnd('/') == "bench/Benchmarks" && tokens.IndexOf("--") is var dashes and > 0)
            (program, rest) = ("benchmarks", tokens[(dashes + 1)..]);
        else if (Script().Match(tokens[0]) is { Success: true } script) (program, rest) = (script.Groups["path"].Value, tokens[1..]);
        else return null;

        var trainOptions = new List<string>();
        if (program == "run.sh" && rest.IndexOf("--") is var split and >= 0)
        {
            trainOptions.AddRange(rest[(split + 1)..].Where(IsOption));
            rest = rest[..split];
        }
        var subcommand = rest.FirstOrDefault(t => !IsOption(t)) is { } first && rest.IndexOf(first) == 0 ? first : null;
        // A silo setting given on a command line (--Cluster:GatewayPort=30001) is configuration, not an option.
        var options = rest.Where(IsOption).Select(o => o.Split('=')[0]).Where(o => !o.Contains(':')).Distinct().ToList();
        return new Command(page, line, text, program, subcommand, options, trainOptions);
    }

    private static bool IsOption(string token) => token.Length > 1 && token[0] == '-' && !char.IsDigit(token[1]) && token != "--";

    /// <summary>What a script says of itself: its header comment, the text its own <c>--help</c> prints where it has one.</summary>
    public static string ScriptHeader(string root, string script)
    {
        var header = new StringBuilder();
        foreach (var line in File.ReadLines(Path.Combine(root, script)).Skip(1))
        {
            if (!line.StartsWith('#')) break;
            header.AppendLine(line);
        }
        return header.ToString();
    }

    /// <summary>Whether <paramref name="help"/> lists <paramref name="name"/> as a word of its own (an option, or a command).</summary>
    public static bool Lists(string help, string name) =>
        Regex.IsMatch(help, $@"(?<![\w-]){Regex.Escape(name)}(?![\w-])", RegexOptions.CultureInvariant);

    private static string StripComment(string line)
    {
        var quote = '\0';
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (quote != '\0') { if (c == quote) quote = '\0'; }
            else if (c is '\'' or '"') quote = c;
            else if (c == '#' && (i == 0 || char.IsWhiteSpace(line[i - 1]))) return line[..i];
        }
        return line;
    }

    /// <summary>Shell words: white space separates, quotes group (and are dropped), square brackets of a usage line are dropped.</summary>
    private static IEnumerable<string> Tokens(string text)
    {
        var word = new StringBuilder();
        var quote = '\0';
        var inWord = false;
        foreach (var c in text)
        {
            if (quote != '\0')
            {
                if (c == quote) quote = '\0';
                else word.Append(c);
            }
            else if (c is '\'' or '"')
            {
                quote = c;
                inWord = true;
            }
            else if (char.IsWhiteSpace(c))
            {
                if (inWord) yield return word.ToString();
                word.Clear();
                inWord = false;
            }
            else if (c is not ('[' or ']'))
            {
                word.Append(c);
                inWord = true;
            }
        }
        if (inWord) yield return word.ToString();
    }

    [GeneratedRegex(@"^eval\s+""\$\((?<inner>.*)\)""$")]
    private static partial Regex EvalSubstitution();

    [GeneratedRegex(@"^[A-Za-z_][A-Za-z0-9_]*=")]
    private static partial Regex EnvironmentAssignment();

    [GeneratedRegex(@"^(\./)?(?<path>run\.sh|scripts/[\w.-]+\.sh)$")]
    private static partial Regex Script();
}
