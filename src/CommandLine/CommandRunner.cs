using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Parsing;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MovieRecommender.Artifacts;
using MovieRecommender.ServiceDefaults;
using Spectre.Console;

namespace MovieRecommender.CommandLine;

/// <summary>
/// Runs a console program's commands with one error convention: a bad argument or a failure the user can fix
/// prints one line on stderr and exits non-zero (2 for usage, 1 for a failure), never a stack trace. Every option
/// and argument is checked while parsing (<see cref="ValueRules"/>), before a command connects anywhere. Given a
/// service name, where the standard OpenTelemetry variables name an endpoint, the command's spans, metrics and logs
/// are exported as that service.
/// </summary>
public static partial class CommandRunner
{
    public const int UsageError = 2;
    public const int Failure = 1;

    /// <summary>Width of tables when output is redirected (Spectre.Console would assume 80 and wrap ids and numbers).</summary>
    public const int RedirectedWidth = 240;

    /// <summary>
    /// The root command of a program, named as users type it (its .NET tool command, e.g. <c>recommender</c>), so that
    /// help reads <c>recommender [command] [options]</c>. <see cref="RootCommand"/> would take the name of the
    /// executable instead, which for a tool or <c>dotnet X.dll</c> is the assembly's (<c>MovieRecommender.Client</c>).
    /// </summary>
    public static Command CreateRoot(string program, string description) =>
        new(program, description) { new HelpOption(), new VersionOption() };

    /// <param name="program">the name errors give the program: the root command's name for one made by <see cref="CreateRoot"/>.</param>
    public static async Task<int> RunAsync(Command root, string[] args, string program, string? serviceName = null)
    {
        ValueRules.ApplyDefaults(root);
        if (Console.IsOutputRedirected && AnsiConsole.Profile.Width < RedirectedWidth) AnsiConsole.Profile.Width = RedirectedWidth;
        ConsoleTelemetry telemetry;
        try
        {
            telemetry = serviceName is null ? ConsoleTelemetry.None : ConsoleTelemetry.Start(serviceName);
        }
        catch (OptionsValidationException e)
        {
            // A Telemetry setting in the environment that cannot be read (Telemetry__Console=maybe).
            await Console.Error.WriteLineAsync($"{program}: {OneLine(e.Message)}");
            return UsageError;
        }
        using var _ = telemetry;
        ParseResult parsed;
        try
        {
            parsed = root.Parse(args);
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException)
        {
            // A validator that read a value which did not convert: still a usage error, said in one line.
            await Console.Error.WriteLineAsync($"{program}: {OneLine(e.Message)} Run '{program} --help' for usage.");
            return UsageError;
        }
        if (parsed.Errors.Count > 0)
        {
            await Console.Error.WriteLineAsync($"{program}: {DescribeParseErrors(parsed, root)} Run '{HelpCommand(parsed, root, program)} --help' for usage.");
            return UsageError;
        }
        try
        {
            return await parsed.InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
        }
        catch (UsageException e)
        {
            await Console.Error.WriteLineAsync($"{program}: {OneLine(e.Message)} Run '{HelpCommand(parsed, root, program)} --help' for usage.");
            return UsageError;
        }
        catch (Exception e)
        {
            var message = Describe(e) ?? $"unexpected {e.GetType().Name}: {OneLine(e.Message)}";
            telemetry.LoggerFactory.CreateLogger(program).LogError(e, "{Program} {Command} failed: {Message}", program, parsed.CommandResult.Command.Name, message);
            await Console.Error.WriteLineAsync($"{program}: {message}");
            return Failure;
        }
    }

    /// <summary>The first parse error in words a user can act on: an unknown command names itself and the commands there are;
    /// a value System.CommandLine could not convert names the option and what it expects.</summary>
    private static string DescribeParseErrors(ParseResult parsed, Command root)
    {
        var command = parsed.CommandResult.Command;
        if (parsed.UnmatchedTokens.Count > 0)
        {
            var token = parsed.UnmatchedTokens[0];
            var where = command == root ? root.Name : $"{root.Name} {command.Name}";
            // A value an option did not take (a valued boolean given 'maybe'): the option's error, not a stray argument.
            var at = parsed.Tokens.ToList().FindIndex(t => t.Value == token && t.Type == TokenType.Argument);
            if (at > 0 && parsed.Tokens[at - 1] is { Type: TokenType.Option } previous
                && command.Options.FirstOrDefault(o => o.Name == previous.Value || o.Aliases.Contains(previous.Value)) is { } option
                && ValueRules.ExpectationOf(option) is { } expects)
                return $"{option.Name} expects {expects}, got {ValueRules.Show(token)}.";
            if (token.StartsWith('-')) return $"'{ValueRules.Show(token)[1..^1]}' is not an option of '{where}'.";
            if (command.Subcommands.Count > 0 && !parsed.Tokens.Any(t => t.Type == TokenType.Command && t.Value != root.Name))
                return $"'{ValueRules.Show(token)[1..^1]}' is not a command of {root.Name}; its commands are {string.Join(", ", command.Subcommands.Where(c => !c.Hidden).Select(c => c.Name))}.";
            return $"unexpected argument {ValueRules.Show(token)} for '{where}'.";
        }
        var error = parsed.Errors[0];
        if (error.SymbolResult is { } result && CannotParse().IsMatch(error.Message))
        {
            var symbol = result switch { OptionResult o => (Symbol)o.Option, ArgumentResult a => a.Argument, _ => null };
            var value = CannotParse().Match(error.Message).Groups["value"].Value;
            if (symbol is not null && ValueRules.ExpectationOf(symbol) is { } expects)
                return $"{ValueRules.NameOf(symbol)} expects {expects}, got {ValueRules.Show(value)}.";
        }
        if (MissingValue().Match(error.Message) is { Success: true } missing)
        {
            Symbol? symbol = missing.Groups["kind"].Value == "option"
                ? command.Options.FirstOrDefault(o => o.Name == missing.Groups["name"].Value || o.Aliases.Contains(missing.Groups["name"].Value))
                : command.Arguments.FirstOrDefault(a => parsed.GetResult(a) is null or { Tokens.Count: 0 });
            if (symbol is not null)
                return $"{ValueRules.NameOf(symbol)} expects {ValueRules.ExpectationOf(symbol) ?? "a value"}, got nothing.";
        }
        if (command.Subcommands.Count > 0 && command.Action is null)
            return $"'{(command == root ? root.Name : $"{root.Name} {command.Name}")}' needs a command: {string.Join(", ", command.Subcommands.Where(c => !c.Hidden).Select(c => c.Name))}.";
        return OneLine(error.Message);
    }

    private static string HelpCommand(ParseResult parsed, Command root, string program) =>
        parsed.CommandResult.Command == root ? program : $"{program} {parsed.CommandResult.Command.Name}";

    [GeneratedRegex(@"^Cannot parse argument '(?<value>.*)' for (option|command|argument) ", RegexOptions.Singleline)]
    private static partial Regex CannotParse();

    [GeneratedRegex(@"^Required argument missing for (?<kind>option|command): '(?<name>[^']*)'")]
    private static partial Regex MissingValue();

    [GeneratedRegex(@"\s*\(Parameter '[^']*'\)\s*$")]
    private static partial Regex ParameterSuffix();

    /// <summary>A message on one line, without .NET's "(Parameter 'x')" suffix, which says nothing to a user.</summary>
    public static string OneLine(string message)
    {
        var first = message.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault() ?? "";
        return ParameterSuffix().Replace(first, "");
    }

    private static string? Describe(Exception e) => e switch
    {
        UserFacingException or ArtifactException => OneLine(e.Message),
        // A setting of the configuration (Cluster:Mode=bogus in the environment), named by its key.
        OptionsValidationException => OneLine(e.Message),
        OperationCanceledException => "cancelled.",
        // A grain's exception arrives as itself; its message is written for the caller.
        ArgumentException or InvalidOperationException => OneLine(e.Message),
        TimeoutException => $"the cluster did not answer in time ({OneLine(e.Message)}); is the silo overloaded or stopping?",
        // Files, and the network: no silo answered (the cluster connection's ClusterUnavailableException is one).
        UnauthorizedAccessException or IOException => OneLine(e.Message),
        _ => null,
    };
}
