namespace MovieRecommender.EndToEnd.Tests;

/// <summary>The console (<c>recommender</c>) against a silo process, as a user runs it, expected to succeed.</summary>
public static class ConsoleRuns
{
    /// <summary>Runs <c>recommender ARGUMENTS</c> against the silo's gateway; fails the test unless it exits 0.</summary>
    public static async Task<ChildResult> RunConsoleAsync(this SiloProcess silo, params string[] arguments)
    {
        var result = await silo.RunProgramAsync("Client", arguments);
        Assert.True(result.ExitCode == 0, $"recommender {string.Join(' ', arguments)} exited {result.ExitCode}: {result.Output}");
        return result;
    }
}
