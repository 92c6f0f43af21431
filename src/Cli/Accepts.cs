using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Parsing;
using System.Globalization;
using System.Text;

namespace MovieRecommender.Cli;

/// <summary>
/// What each option and argument accepts, checked while the command line is parsed, so a malformed value is a usage
/// error (one line naming the option and what it expects, exit 2) before any command runs or connects anywhere.
/// Each helper installs System.CommandLine's own custom parser on the symbol and appends what it expects to its
/// description, so <c>--help</c> says it too: <c>(an integer from 1 to 1000)</c>, <c>(an existing folder)</c>.
/// <see cref="ApplyDefaults"/> gives every symbol that declared nothing the rule of its type: integers and numbers
/// at least 0, text neither empty nor blank, <c>true</c>/<c>false</c> for a valued boolean, an enum's names.
/// </summary>
public static class Accepts
{
    /// <summary>Longest value an error message repeats; a longer one is cut.</summary>
    private const int ShownValueLength = 40;

    /// <summary>Options and arguments that already have their rule (so <see cref="ApplyDefaults"/> leaves them).</summary>
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<Symbol, string> Declared = new();

    // ---- integers ----

    public static Option<int> Integer(this Option<int> option, int min = 0, int max = int.MaxValue) =>
        Install(option, IntegerRule(min, max), (r, rule) => ParseSingle(r, rule, IntegerParser(min, max)));

    public static Option<int?> Integer(this Option<int?> option, int min = 0, int max = int.MaxValue) =>
        Install(option, IntegerRule(min, max), (r, rule) => r.Tokens.Count == 0 ? null : ParseSingle<int>(r, rule, IntegerParser(min, max)));

    public static Option<int[]> Integers(this Option<int[]> option, int min = 0, int max = int.MaxValue) =>
        Install(option, IntegerRule(min, max), (r, rule) => ParseMany(r, rule, IntegerParser(min, max)));

    public static Argument<int> Integer(this Argument<int> argument, int min = 0, int max = int.MaxValue) =>
        Install(argument, IntegerRule(min, max), (r, rule) => ParseSingle(r, rule, IntegerParser(min, max)));

    // ---- numbers ----

    /// <param name="above">the value must be greater than <paramref name="min"/>, not equal to it.</param>
    public static Option<double> Number(this Option<double> option, double min = 0, double max = double.MaxValue, bool above = false) =>
        Install(option, NumberRule(min, max, above), (r, rule) => ParseSingle(r, rule, NumberParser(min, max, above)));

    public static Option<double?> Number(this Option<double?> option, double min = 0, double max = double.MaxValue, bool above = false) =>
        Install(option, NumberRule(min, max, above), (r, rule) => r.Tokens.Count == 0 ? null : ParseSingle<double>(r, rule, NumberParser(min, max, above)));

    public static Option<double[]> Numbers(this Option<double[]> option, double min = 0, double max = double.MaxValue, bool above = false) =>
        Install(option, NumberRule(min, max, above), (r, rule) => ParseMany(r, rule, NumberParser(min, max, above)));

    public static Argument<double> Number(this Argument<double> argument, double min = 0, double max = double.MaxValue, bool above = false) =>
        Install(argument, NumberRule(min, max, above), (r, rule) => ParseSingle(r, rule, NumberParser(min, max, above)));

    // ---- text ----

    /// <summary>Text that is not empty nor blank, of at most <paramref name="maxLength"/> characters.</summary>
    public static Option<T> Text<T>(this Option<T> option, int maxLength = 1000) where T : class? =>
        Install(option, TextRule(maxLength), (r, rule) => ParseSingle<T>(r, rule, Typed<T>(TextParser(maxLength))));


    public static Argument<string> Text(this Argument<string> argument, int maxLength = 1000) =>
        Install(argument, TextRule(maxLength), (r, rule) => ParseSingle(r, rule, TextParser(maxLength)));

    /// <summary>Text checked by <paramref name="check"/> (null: accepted, else why not), described as <paramref name="expects"/>.</summary>
    public static Argument<string> Matching(this Argument<string> argument, string expects, Func<string, bool> check) =>
        Install(argument, expects, (r, rule) => ParseSingle<string>(r, rule, text => !string.IsNullOrWhiteSpace(text) && check(text) ? (text, null) : (null, "")));

    public static Option<T> Matching<T>(this Option<T> option, string expects, Func<string, bool> check) where T : class? =>
        Install(option, expects, (r, rule) => ParseSingle<T>(r, rule, Typed<T>(text => !string.IsNullOrWhiteSpace(text) && check(text) ? (text, null) : (null, ""))));

    public static Argument<string[]> Matching(this Argument<string[]> argument, string expects, Func<string, bool> check) =>
        Install(argument, expects, (r, rule) => ParseMany<string>(r, rule, text => !string.IsNullOrWhiteSpace(text) && check(text) ? (text, null) : (null, "")));

    /// <summary>A value read by <paramref name="parse"/> (a null error: accepted; else why not, one sentence), described as <paramref name="expects"/>.</summary>
    public static Option<T> Parsed<T>(this Option<T> option, string expects, Func<string, (T? Value, string? Error)> parse) where T : class =>
        Install(option, expects, (r, rule) => ParseSingle<T>(r, rule, text => parse(text) is var (value, error) && error is null ? (value, null) : (null, error!.TrimEnd('.'))));

    /// <summary>
    /// Values (the option repeated, or several after it) each checked by <paramref name="problemOf"/> (null: accepted,
    /// else what is wrong with it, said after the expectation), described as <paramref name="expects"/>.
    /// </summary>
    public static Option<string[]> Satisfying(this Option<string[]> option, string expects, Func<string, string?> problemOf) =>
        Install(option, expects, (r, rule) => ParseMany<string>(r, rule, text => string.IsNullOrWhiteSpace(text) ? (null, "") : problemOf(text) is { } problem ? (null, problem) : (text, null)));

    /// <summary>One of <paramref name="choices"/> (compared ignoring case; the choice itself is returned).</summary>
    public static Option<T> OneOf<T>(this Option<T> option, params string[] choices) where T : class? =>
        Install(option, ChoiceRule(choices), (r, rule) => ParseSingle<T>(r, rule, Typed<T>(ChoiceParser(choices))));


    // ---- paths ----

    public static Option<T> ExistingFolder<T>(this Option<T> option) where T : class? => Install(option, FolderRule, (r, rule) => ParseSingle<T>(r, rule, Typed<T>(FolderParser)));
    public static Option<string[]> ExistingFolders(this Option<string[]> option) => Install(option, FolderRule, (r, rule) => ParseMany(r, rule, FolderParser));
    public static Argument<string> ExistingFolder(this Argument<string> argument) => Install(argument, FolderRule, (r, rule) => ParseSingle(r, rule, FolderParser));

    public static Option<T> ExistingFile<T>(this Option<T> option) where T : class? => Install(option, FileRule, (r, rule) => ParseSingle<T>(r, rule, Typed<T>(FileParser)));

    /// <summary>A file the command will write: not a folder, and its folder exists or can be created, and can be written.</summary>
    public static Option<T> FileToWrite<T>(this Option<T> option) where T : class? => Install(option, WriteFileRule, (r, rule) => ParseSingle<T>(r, rule, Typed<T>(WriteFileParser)));

    /// <summary>A folder the command will create or write into: not a file, and it or its nearest existing parent can be written.</summary>
    public static Option<T> FolderToWrite<T>(this Option<T> option) where T : class? => Install(option, WriteFolderRule, (r, rule) => ParseSingle<T>(r, rule, Typed<T>(WriteFolderParser)));

    /// <summary>
    /// Gives every option and argument of the tree under <paramref name="root"/> that declared no rule the one of its
    /// type, so an option added later is checked without anyone remembering to. <see cref="CommandRunner.RunAsync"/> calls it.
    /// </summary>
    public static void ApplyDefaults(Command root)
    {
        foreach (var option in root.Options)
        {
            if (option is HelpOption or VersionOption || Declared.TryGetValue(option, out _)) continue;
            switch (option)
            {
                case Option<int> o: o.Integer(); break;
                case Option<int?> o: o.Integer(); break;
                case Option<int[]> o: o.Integers(); break;
                case Option<double> o: o.Number(); break;
                case Option<double?> o: o.Number(); break;
                case Option<double[]> o: o.Numbers(); break;
                case Option<string> o: o.Text(); break;
                case Option<string[]> o: Install(o, TextRule(1000), (r, rule) => ParseMany(r, rule, TextParser(1000))); break;
                case Option<bool?> o: Install(o, "true or false", (r, rule) => r.Tokens.Count == 0 ? true : ParseSingle<bool>(r, rule, BoolParser)); break;
                default:
                    // An enum keeps System.CommandLine's parser; CommandRunner words its error with this rule.
                    var type = Nullable.GetUnderlyingType(option.ValueType) ?? option.ValueType;
                    if (type.IsEnum) Describe(option, $"one of {string.Join(", ", Enum.GetNames(type))}");
                    break;
            }
        }
        foreach (var argument in root.Arguments)
        {
            if (Declared.TryGetValue(argument, out _)) continue;
            switch (argument)
            {
                case Argument<int> a: a.Integer(); break;
                case Argument<double> a: a.Number(); break;
                case Argument<string> a: a.Text(); break;
                case Argument<string[]> a: Install(a, TextRule(1000), (r, rule) => ParseMany(r, rule, TextParser(1000))); break;
            }
        }
        foreach (var command in root.Subcommands) ApplyDefaults(command);
    }

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

    // ---- the machinery ----

    private delegate (T? Value, string? Error) Parser<T>(string text);

    /// <summary>A text parser for an option of <c>string</c> or <c>string?</c> (one type at run time).</summary>
    private static Parser<T> Typed<T>(Parser<string> parser) where T : class? => text =>
    {
        var (value, error) = parser(text);
        return ((T?)(object?)value, error);
    };

    private static Option<T> Install<T>(Option<T> option, string rule, Func<ArgumentResult, string, T?> parse)
    {
        option.CustomParser = result => parse(result, rule);
        Describe(option, rule);
        return option;
    }

    private static Argument<T> Install<T>(Argument<T> argument, string rule, Func<ArgumentResult, string, T?> parse)
    {
        argument.CustomParser = result => parse(result, rule);
        Describe(argument, rule);
        return argument;
    }

    private static void Describe(Symbol symbol, string rule)
    {
        Declared.AddOrUpdate(symbol, rule);
        var description = symbol.Description ?? "";
        var suffix = $"({rule})";
        if (!description.Contains(suffix, StringComparison.Ordinal))
            symbol.Description = description.Length == 0 ? suffix : $"{description.TrimEnd()} {suffix}";
    }

    private static T? ParseSingle<T>(ArgumentResult result, string rule, Parser<T> parser)
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

    private static T[] ParseMany<T>(ArgumentResult result, string rule, Parser<T> parser)
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

    private static string IntegerRule(int min, int max) =>
        max == int.MaxValue ? $"an integer of at least {min}" : $"an integer from {min} to {max}";

    private static Parser<int> IntegerParser(int min, int max) => text =>
    {
        var trimmed = text.Trim();
        if (trimmed.Length == 0) return (0, "");
        if (!long.TryParse(trimmed, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
            return (0, trimmed.All(c => char.IsAsciiDigit(c) || c is '-' or '+') && trimmed.Any(char.IsAsciiDigit) ? "too large" : "");
        return value < min ? (0, "too small") : value > max ? (0, "too large") : ((int)value, null);
    };

    private static string NumberRule(double min, double max, bool above)
    {
        var low = above ? $"greater than {F(min)}" : $"of at least {F(min)}";
        return max == double.MaxValue ? $"a number {low}" : above ? $"a number greater than {F(min)} and at most {F(max)}" : $"a number from {F(min)} to {F(max)}";
    }

    private static Parser<double> NumberParser(double min, double max, bool above) => text =>
    {
        var trimmed = text.Trim();
        if (trimmed.Length == 0 || !double.TryParse(trimmed, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || double.IsNaN(value))
            return (0, "");
        if (double.IsInfinity(value)) return (0, "too large");
        return value < min || above && value <= min ? (0, "too small") : value > max ? (0, "too large") : (value, null);
    };

    private static string F(double value) => value.ToString(CultureInfo.InvariantCulture);

    private static string TextRule(int maxLength) => $"a non-blank text of at most {maxLength} characters";

    private static Parser<string> TextParser(int maxLength) => text =>
        string.IsNullOrWhiteSpace(text) ? (null, "") : text.Length > maxLength ? (null, "too long") : (text, null);

    private static string ChoiceRule(string[] choices) => $"one of {string.Join(", ", choices)}";

    private static Parser<string> ChoiceParser(string[] choices) => text =>
        choices.FirstOrDefault(c => string.Equals(c, text.Trim(), StringComparison.OrdinalIgnoreCase)) is { } choice ? (choice, null) : (null, "");

    private static (bool, string?) BoolParser(string text) =>
        bool.TryParse(text.Trim(), out var value) ? (value, null) : (false, "");

    private const string FolderRule = "an existing folder";
    private const string FileRule = "an existing file";
    private const string WriteFileRule = "a file path that can be written";
    private const string WriteFolderRule = "a folder path that can be written";

    private static (string?, string?) FolderParser(string text) =>
        string.IsNullOrWhiteSpace(text) ? (null, "")
        : Directory.Exists(text) ? (text, null)
        : File.Exists(text) ? (null, "it is a file")
        : (null, "no such folder");

    private static (string?, string?) FileParser(string text) =>
        string.IsNullOrWhiteSpace(text) ? (null, "")
        : File.Exists(text) ? (text, null)
        : Directory.Exists(text) ? (null, "it is a folder")
        : (null, "no such file");

    private static (string?, string?) WriteFileParser(string text)
    {
        if (string.IsNullOrWhiteSpace(text)) return (null, "");
        if (Directory.Exists(text)) return (null, "it is a folder");
        string full;
        try { full = Path.GetFullPath(text); }
        catch (Exception e) when (e is ArgumentException or NotSupportedException or PathTooLongException) { return (null, "not a valid path"); }
        return WritableProblem(Path.GetDirectoryName(full)) is { } problem ? (null, problem) : (text, null);
    }

    private static (string?, string?) WriteFolderParser(string text)
    {
        if (string.IsNullOrWhiteSpace(text)) return (null, "");
        if (File.Exists(text)) return (null, "it is a file");
        string full;
        try { full = Path.GetFullPath(text); }
        catch (Exception e) when (e is ArgumentException or NotSupportedException or PathTooLongException) { return (null, "not a valid path"); }
        return WritableProblem(full) is { } problem ? (null, problem) : (text, null);
    }

    /// <summary>Why <paramref name="folder"/> (or, when it does not exist yet, its nearest existing parent, where it
    /// would be created) cannot be written, or null when it can: tried by creating and deleting a file there.</summary>
    private static string? WritableProblem(string? folder)
    {
        var existing = folder;
        while (existing is not null && !Directory.Exists(existing))
        {
            if (File.Exists(existing)) return $"{existing} is a file";
            existing = Path.GetDirectoryName(existing);
        }
        if (existing is null) return "no folder of it exists";
        try
        {
            using var probe = new FileStream(Path.Combine(existing, $".write-probe-{Guid.NewGuid():N}"), FileMode.CreateNew, FileAccess.Write,
                FileShare.None, 1, FileOptions.DeleteOnClose);
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return $"{existing} is not writable";
        }
    }
}
