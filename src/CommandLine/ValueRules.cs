using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Parsing;
using static MovieRecommender.CommandLine.RuleInstaller;
using static MovieRecommender.CommandLine.ValueParsers;

namespace MovieRecommender.CommandLine;

/// <summary>
/// What each option and argument accepts, checked while the command line is parsed, so a malformed value is a usage
/// error (one line naming the option and what it expects, exit 2) before any command runs or connects anywhere.
/// Each helper installs System.CommandLine's own custom parser on the symbol and appends what it expects to its
/// description, so <c>--help</c> says it too: <c>(an integer from 1 to 1000)</c>, <c>(an existing folder)</c>.
/// <see cref="ApplyDefaults"/> gives every symbol that declared nothing the rule of its type: integers and numbers
/// at least 0, text neither empty nor blank, <c>true</c>/<c>false</c> for a valued boolean, an enum's names.
/// </summary>
public static class ValueRules
{
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
    public static Argument<string> ExistingFile(this Argument<string> argument) => Install(argument, FileRule, (r, rule) => ParseSingle(r, rule, FileParser));
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
            if (option is HelpOption or VersionOption || RuleInstaller.IsDeclared(option)) continue;
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
            if (RuleInstaller.IsDeclared(argument)) continue;
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
    public static string? ExpectationOf(Symbol symbol) => RuleInstaller.ExpectationOf(symbol);

    /// <summary>How an error names a symbol: <c>--k</c> for an option, <c>&lt;user&gt;</c> for an argument.</summary>
    public static string NameOf(Symbol symbol) => RuleInstaller.NameOf(symbol);

    /// <summary>A value as an error message quotes it: on one line, at most <see cref="RuleInstaller.ShownValueLength"/> characters.</summary>
    public static string Show(string value) => RuleInstaller.Show(value);
}
