namespace MovieRecommender.Trainer.Tests;

/// <summary>The built <c>recommender-trainer</c>, run as users run it: a process, from the repository root.</summary>
public static class TrainerProgram
{
    /// <summary>Runs it with <paramref name="arguments"/>; a run longer than 5 minutes is stopped.</summary>
    public static async Task<ChildResult> RunAsync(params string[] arguments)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        return await ChildProcess.RunAsync(ChildProcess.DotnetHost(), [RepositoryRoot.ProgramDll("Trainer"), .. arguments], RepositoryRoot.Path,
            environment: null, timeout.Token, withoutInheritedOtel: true);
    }
}
