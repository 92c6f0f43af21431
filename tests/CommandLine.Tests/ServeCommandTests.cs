using System.Text.Json.Nodes;

namespace MovieRecommender.CommandLine.Tests;

/// <summary>
/// <c>benchmarks serve</c> through its real command line at a tiny scale: it generates a catalogue, starts a real silo
/// process, publishes, runs one short rate and writes its rows, plot and capacity table.
/// </summary>
public sealed class ServeCommandTests
{
    private static readonly string Benchmarks =
        RepositoryRoot.BenchmarksPath;

    [Fact]
    public async Task ServeWritesARowPerRateWithTheRequiredFieldsAndExactRecall1()
    {
        using var work = new TempFolder();
        var json = Path.Combine(work.Path, "serve.json");
        var capacity = Path.Combine(work.Path, "capacity.md");
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        var result = await ChildProcess.RunAsync(ChildProcess.DotnetHost(),
        [
            Benchmarks, "serve", "--movies", "2000", "--users", "500", "--index", "exact", "--rates", "20", "--duration", "2",
            "--warmup-seconds", "0", "--recall-sample", "40", "--in-process-queries", "100", "--p99-ms", "5000",
            "--out", work.Path, "--json", json, "--capacity", capacity, "--no-build",
        ], work.Path, null, timeout.Token, withoutInheritedOtel: true);
        Assert.True(result.ExitCode == 0, $"exit {result.ExitCode}: {result.Tail(20)}");

        var report = JsonNode.Parse(await File.ReadAllTextAsync(json))!;
        var rows = report["rows"]!.AsArray();
        var row = Assert.Single(rows)!;
        foreach (var field in new[] { "index", "movies", "rps", "p50Ms", "p99Ms", "recallAt10", "failures", "targetRps", "siloCpuMsPerRecommendation", "inProcessCpuMsPerRecommendation" })
            Assert.True(row[field] is not null, $"row lacks {field}: {row.ToJsonString()}");
        Assert.Equal("exact", row["index"]!.GetValue<string>());
        Assert.Equal(2000, row["movies"]!.GetValue<int>());
        Assert.Equal(0, row["failures"]!.GetValue<long>());
        Assert.Equal(1.0, row["recallAt10"]!.GetValue<double>());
        Assert.True(row["recallAnswers"]!.GetValue<int>() > 0);
        // One silo, 2,000 movies: publish's default layout gives one shard, and every user draws requests.
        Assert.Equal("exact x1", report["indexes"]![0]!["shardTiers"]!.GetValue<string>());
        Assert.StartsWith("ShardLayout", report["settings"]!["shardsChosenBy"]!.GetValue<string>());
        Assert.Equal("uniform", report["settings"]!["userDraw"]!.GetValue<string>());
        Assert.Equal(1.0, report["indexes"]![0]!["inProcess"]!["recallAt10"]!.GetValue<double>());
        Assert.False(string.IsNullOrEmpty(report["machine"]!["cpuModel"]!.GetValue<string>()));
        Assert.Contains("<svg", await File.ReadAllTextAsync(Path.ChangeExtension(json, ".svg")));
        Assert.Contains("| exact |", await File.ReadAllTextAsync(capacity));
    }

    [Fact]
    public async Task ServeDrawsByZipfAndFiltersEveryRequestWithExactRecall()
    {
        using var work = new TempFolder();
        var json = Path.Combine(work.Path, "serve.json");
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        var result = await ChildProcess.RunAsync(ChildProcess.DotnetHost(),
        [
            Benchmarks, "serve", "--movies", "2000", "--users", "500", "--index", "exact", "--rates", "20", "--duration", "2",
            "--warmup-seconds", "0", "--recall-sample", "40", "--p99-ms", "5000", "--zipf", "1.0", "--filter-share", "0.05",
            "--out", work.Path, "--json", json, "--capacity", Path.Combine(work.Path, "capacity.md"), "--no-build",
        ], work.Path, null, timeout.Token, withoutInheritedOtel: true);
        Assert.True(result.ExitCode == 0, $"exit {result.ExitCode}: {result.Tail(20)}");

        var report = JsonNode.Parse(await File.ReadAllTextAsync(json))!;
        var settings = report["settings"]!;
        Assert.Equal(("zipf", 1.0), (settings["userDraw"]!.GetValue<string>(), settings["zipfExponent"]!.GetValue<double>()));
        var filter = settings["filter"]!;
        Assert.InRange(filter["keptShare"]!.GetValue<double>(), 0.03, 0.07);
        Assert.Contains("Every request filtered", result.Output);
        var row = Assert.Single(report["rows"]!.AsArray())!;
        Assert.Equal(0, row["failures"]!.GetValue<long>());
        // The exact top 10 among the movies the filter keeps, which the shard scores exactly.
        Assert.Equal(1.0, row["recallAt10"]!.GetValue<double>());
        Assert.True(row["recallAnswers"]!.GetValue<int>() > 0);
    }
}
