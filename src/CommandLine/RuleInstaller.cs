using System.CommandLine;
using System.CommandLine.Parsing;
using System.Runtime.CompilerServices;
using System.Text;

namespace MovieRecommender.CommandLine;

/// <summary>
/// How a <see cref="ValueRules"/> rule is put on an option or argument: System.CommandLine's own custom parser, which
/// words a rejected value as one sentence naming the symbol and what it expects, and the expectation appended to the
/// symbol's description so that <c>--help</c> shows it. Remembers which symbols have a rule.
/// </summary>
internal static class RuleInstaller
{
    /// <summary>Longest value an error message repeats; a longer one is cut.</summary>
    public const int ShownValueLength = 40;

    /// <summary>Options and arguments that already have their rule (so <see cref="ValueRules.ApplyDefaults"/> leaves them).</summary>
    private static readonly ConditionalWeakTable<Symbol, string> Declared = new();

    public static bool IsDeclared(Symbol symbol) => Declared.TryGetValue(symbol, out _);

    /// <summary>The expectation a symbol declared, e.g. "an integer from 1 to 1000", or null.</summary>
    public static string? ExpectationOf(Symbol symbol) => Declared.TryGetValue(symbol, out var rule) ? rule : null;

    /// <summary>How an error names a symbol: <c>--k</c> for an option, <c>&lt;user&gt;</c> for an argument.</summary>
    public static string NameOf(Symbol symbol) => symbol is Argument ? $"<{symbol.Name}>" : symbol.Name;

    /// <summary>A value as an error message quotes it: on one line, at most <see cref="ShownValueLength"/> characters.</summary>
    public static string Show(string value)
    {
        var builder = new StringBuilder();
        foreach (var c in value.Length > ShownValueLength ? value[..ShownValueLength] : value)
            builder.Append(char.IsControl(c) ? ' ' : c);
        return $"'{builder}{(value.Length > ShownValueLength ? $"...' ({value.Length} characters)" : "'")}";
    }

    public static Option<T> Install<T>(Option<T> option, string rule, Func<ArgumentResult, string, T?> parse)
    {
        option.CustomParser = result => parse(result, rule);
        Describe(option, rule);
        return option;
    }

    public static Argument<T> Install<T>(Argument<T> argument, string rule, Func<ArgumentResult, string, T?> parse)
    {
        argument.CustomParser = result => parse(result, rule);
        Describe(argument, rule);
        return argument;
    }

    public static void Describe(Symbol symbol, string rule)
    {
        Declared.AddOrUpdate(symbol, rule);
        var description = symbol.Description ?? "";
        var suffix = $"({rule})";
        if (!description.Contains(suffix, StringComparison.Ordinal))
            symbol.Description = description.Length == 0 ? suffix : $"{description.TrimEnd()} {suffix}";
    }

    public static T? ParseSingle<T>(ArgumentResult result, string rule, ValueParser<T> parser)
    {
        // Not given (System.CommandLine itself reports a missing required value).
        if (result.Tokens.Count == 0) return default;
        var text = result.Tokens[^1].Value;
        if (IsUnknownOption(result, text)) return default;
        var (value, error) = parser(text);
        if (error is null) return value;
        result.AddError($"{NameOf(result.Argument, result)} expects {rule}, got {Show(text)}{(error.Length > 0 ? $": {error}" : "")}.");
        return default;
    }

    public static T[] ParseMany<T>(ArgumentResult result, string rule, ValueParser<T> parser)
    {
        var values = new List<T>();
        foreach (var token in result.Tokens)
        {
            if (IsUnknownOption(result, token.Value)) return [];
            var (value, error) = parser(token.Value);
            if (error is not null)
            {
                result.AddError($"{NameOf(result.Argument, result)} expects {rule}, got {Show(token.Value)}{(error.Length > 0 ? $": {error}" : "")}.");
                return [];
            }
            values.Add(value!);
        }
        return [.. values];
    }

    /// <summary>An option-like token that System.CommandLine took as a value because no option has that name.</summary>
    private static bool IsUnknownOption(ArgumentResult result, string text)
    {
        if (!text.StartsWith("--", StringComparison.Ordinal) || text.Length < 3) return false;
        var command = result.Parent switch { OptionResult o => o.Parent as CommandResult, CommandResult c => c, _ => null };
        var where = command is null ? "" : $" of '{string.Join(' ', Lineage(command))}'";
        result.AddError($"{Show(text)} is not an option{where}.");
        return true;
    }

    private static IEnumerable<string> Lineage(CommandResult command) =>
        command.Parent is CommandResult parent ? [.. Lineage(parent), command.Command.Name] : [command.Command.Name];

    private static string NameOf(Argument argument, ArgumentResult result) =>
        result.Parent is OptionResult option ? option.Option.Name : NameOf(argument);
}
