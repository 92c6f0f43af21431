using System.CommandLine;
using System.CommandLine.Help;
using Microsoft.Extensions.Logging;
using MovieRecommender.Artifacts;
using MovieRecommender.ClusterClient;
using MovieRecommender.Telemetry;

namespace MovieRecommender.Cli;

/// <summary>
/// Runs a console program's commands with one error convention: a bad argument or a failure the user can fix
/// prints one line on stderr and exits non-zero, never a stack trace. Given a service name, where the standard
/// OpenTelemetry variables name an endpoint, the command's spans, metrics and logs are exported as that service.
/// </summary>
public static class CommandRunner
{
    public const int UsageError = 2;
    public const int Failure = 1;

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
        using var telemetry = serviceName is null ? ConsoleTelemetry.None : ConsoleTelemetry.Start(serviceName);
        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            await Console.Error.WriteLineAsync($"{program}: {parsed.Errors[0].Message} Run '{program} --help' for usage.");
            return UsageError;
        }
        try
        {
            return await parsed.InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
        }
        catch (Exception e) when (Describe(e) is { } message)
        {
            telemetry.LoggerFactory.CreateLogger(program).LogError("{Program} {Command} failed: {Message}", program, parsed.CommandResult.Command.Name, message);
            await Console.Error.WriteLineAsync($"{program}: {message}");
            return Failure;
        }
    }

    private static string? Describe(Exception e) => e switch
    {
        UserFacingException or ClusterUnavailableException or ArtifactException => e.Message,
        OperationCanceledException => "cancelled.",
        // A grain's exception arrives as itself; its message is written for the caller.
        ArgumentException or InvalidOperationException => e.Message,
        TimeoutException => $"the cluster did not answer in time ({e.Message}); is the silo overloaded or stopping?",
        _ => null,
    };
}
