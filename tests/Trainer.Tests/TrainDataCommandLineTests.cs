using System.Text;
using MovieRecommender.Trainer.Data;

namespace MovieRecommender.Trainer.Tests;

/// <summary>
/// <c>recommender-trainer train</c> as users run it (the built trainer as a process) on dirty data: the first bad row
/// is one line on stderr with file:line and the fault, exit code 1; <c>--skip-bad-rows</c> trains anyway and prints what
/// it skipped; <c>--extra-ratings</c> is an option of the command.
/// </summary>
public sealed class TrainDataCommandLineTests
{
    private static TempFolder DirtyData()
    {
        var dir = new TempFolder();
        TestData.WriteSynthetic100K(dir.Path, users: 30, items: 20);
        var lines = File.ReadAllLines(Path.Combine(dir.Path, "u.data")).ToList();
        lines.Insert(3, "1\t99\t4\t881250949");   // line 4: a movie u.item lacks
        lines.Insert(5, "1\t2\t7\t881250949");    // line 6: a rating out of range
        lines.Add("1\t2");                        // malformed
        File.WriteAllText(Path.Combine(dir.Path, "u.data"), string.Join("\r\n", lines) + "\r\n", new UTF8Encoding(true));
        return dir;
    }

    [Fact]
    public async Task TrainStopsAtTheFirstBadRowInOneLineWithExitCode1()
    {
        using var data = DirtyData();
        using var output = new TempFolder();

        var result = await TrainerProgram.RunAsync("train", "--data", data.Path, "--out", output.Path);

        Assert.Equal(1, result.ExitCode);
        var line = Assert.Single(result.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        Assert.Equal($"recommender-trainer: {Path.Combine(data.Path, "u.data")}:4: movie id 99 is not in u.item (--skip-bad-rows skips such rows).", line);
        Assert.Empty(Directory.EnumerateFileSystemEntries(output.Path));
    }

    [Fact]
    public async Task TrainWithSkipBadRowsTrainsAndPrintsWhatItSkippedAndTakesExtraRatings()
    {
        using var data = DirtyData();
        using var output = new TempFolder();
        var extra = data.Write("new-ratings.csv", "userId,movieId,rating,timestamp\n1,3,5,1700000000\n1,3,4,1700000001\n1,4242,5,1700000002\n");

        var result = await TrainerProgram.RunAsync("train", "--data", data.Path, "--out", output.Path, "--extra-ratings", extra, "--skip-bad-rows",
            "--dim", "8", "--epochs", "1", "--validation", "0", "--batch", "256", "--threads", "1");

        Assert.True(result.ExitCode == 0, result.Output);
        var stdout = string.Join(' ', result.StandardOutput.Split('\n').Select(l => l.Trim()));
        Assert.Contains($"Skipped 1 row that is malformed (the first: {Path.Combine(data.Path, "u.data")}:", stdout);
        Assert.Contains($"Skipped 2 rows naming a movie the catalogue lacks (the first: {Path.Combine(data.Path, "u.data")}:4: movie id 99 is not in u.item).", stdout);
        Assert.Contains("Skipped 1 row with a rating outside 0.5 to 5", stdout);
        Assert.Contains("rating repeat", stdout);
        Assert.True(Directory.Exists(result.LastLine), result.LastLine);
        var users = File.ReadAllLines(Path.Combine(result.LastLine, "users.tsv"));
        Assert.Contains(users, l => l.StartsWith("1\t", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ExtraRatingsThatDoNotExistAreRefusedNamingTheOption()
    {
        using var data = DirtyData();
        var result = await TrainerProgram.RunAsync("train", "--data", data.Path, "--extra-ratings", Path.Combine(data.Path, "missing.csv"));

        Assert.Equal(2, result.ExitCode); // a usage error: the option's value is checked while parsing
        var line = Assert.Single(result.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        Assert.StartsWith("recommender-trainer: --extra-ratings ", line);
    }

    [Fact]
    public async Task TrainReadsTheMl1mLayout()
    {
        using var data = new TempFolder();
        WriteAs1M(data.Path);
        using var output = new TempFolder();

        var result = await TrainerProgram.RunAsync("train", "--data", data.Path, "--out", output.Path, "--dim", "8", "--epochs", "2", "--threads", "1");

        Assert.True(result.ExitCode == 0, result.Output);
        Assert.Contains("(MovieLens1M)", result.StandardOutput);
        var manifest = File.ReadAllText(Path.Combine(result.LastLine, "manifest.json"));
        Assert.Contains("\"layout\": \"MovieLens1M\"", manifest);
        Assert.Equal(31, File.ReadAllLines(Path.Combine(result.LastLine, "users.tsv")).Length); // a header and 30 users
    }

    /// <summary>The synthetic ML-100K data rewritten in ml-1m's files: '::' between fields, genres by name.</summary>
    private static void WriteAs1M(string dir)
    {
        using var source = new TempFolder();
        TestData.WriteSynthetic100K(source.Path, users: 30, items: 20);
        string[] Rows(string file) => File.ReadAllLines(Path.Combine(source.Path, file), Encoding.Latin1).Where(l => l.Length > 0).ToArray();
        var genres = MovieLensLoader.StandardGenres;
        File.WriteAllLines(Path.Combine(dir, "movies.dat"), Rows("u.item").Select(l => l.Split('|')).Select(f =>
            $"{f[0]}::{f[1]}::{string.Join('|', genres.Where((_, g) => f[5 + g] == "1"))}"), Encoding.Latin1);
        File.WriteAllLines(Path.Combine(dir, "users.dat"), Rows("u.user").Select(l => l.Split('|')).Select(f => $"{f[0]}::{f[2]}::{f[1]}::{f[3]}::{f[4]}"));
        File.WriteAllLines(Path.Combine(dir, "ratings.dat"), Rows("u.data").Select(l => l.Replace("\t", "::", StringComparison.Ordinal)));
    }
}
