using MovieRecommender.Testing;

namespace MovieRecommender.CommandLine.Tests.Reports;

/// <summary>A report's commit says when the code it measured was not that commit.</summary>
public sealed class ReportCommitTests : IDisposable
{
    private readonly string _repo = Directory.CreateTempSubdirectory("movierecommender-commit-").FullName;

    [Fact]
    public async Task CommitIsMarkedDirtyByAChangedTrackedFileButNotByAnEarlierReport()
    {
        var ct = CancellationToken.None;
        Directory.CreateDirectory(Path.Combine(_repo, "bench", "results"));
        await File.WriteAllTextAsync(Path.Combine(_repo, "code.cs"), "// v1", ct);
        await File.WriteAllTextAsync(Path.Combine(_repo, "bench", "results", "x.json"), "{}", ct);
        await GitAsync(ct, "init", "-q");
        await GitAsync(ct, "add", ".");
        await GitAsync(ct, "-c", "user.name=test", "-c", "user.email=test@example.org", "commit", "-q", "-m", "first");
        var head = (await GitAsync(ct, "rev-parse", "--short", "HEAD")).LastLine;

        Assert.Equal(head, await RepositoryRoot.CommitAsync(_repo, ct));

        await File.WriteAllTextAsync(Path.Combine(_repo, "bench", "results", "x.json"), "{\"new\": 1}", ct);
        await File.WriteAllTextAsync(Path.Combine(_repo, "untracked.txt"), "scratch", ct);
        Assert.Equal(head, await RepositoryRoot.CommitAsync(_repo, ct));

        await File.WriteAllTextAsync(Path.Combine(_repo, "code.cs"), "// v2", ct);
        Assert.Equal(head + "-dirty", await RepositoryRoot.CommitAsync(_repo, ct));
    }

    [Fact]
    public async Task CommitIsNullOutsideARepository()
    {
        var outside = Directory.CreateTempSubdirectory("movierecommender-nogit-").FullName;
        try
        {
            Assert.Null(await RepositoryRoot.CommitAsync(outside, CancellationToken.None));
        }
        finally
        {
            Directory.Delete(outside, recursive: true);
        }
    }

    private async Task<ChildResult> GitAsync(CancellationToken ct, params string[] arguments)
    {
        var result = await ChildProcess.RunAsync("git", arguments, _repo, null, ct);
        Assert.True(result.ExitCode == 0, $"git {string.Join(' ', arguments)}: {result.Output}");
        return result;
    }

    public void Dispose() => Directory.Delete(_repo, recursive: true);
}
