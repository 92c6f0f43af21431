using System.CommandLine;
using MovieRecommender.Model.Artifacts;
using MovieRecommender.Model.Cluster;

namespace MovieRecommender.Model.Cli;

/// <summary>
/// Runs a console program's commands with one error convention: a bad argument or a failure the user can fix
/// prints one line on stderr and exits non-zero, never a stack trace.
/// </summary>
public static class CommandRunner
{
    public const int UsageError = 2;
    public const int Failure = 1;

    public static async Task<int> RunAsync(RootCommand root, string[] args, string program)
    {
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
