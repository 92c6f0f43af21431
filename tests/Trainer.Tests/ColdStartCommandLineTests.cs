using System.Text.Json.Nodes;
using MovieRecommender.Trainer.Data;
using MovieRecommender.Trainer.Evaluation.ColdStart;

namespace MovieRecommender.Trainer.Tests;

/// <summary>
/// <c>recommender-trainer cold-start</c> as users run it: the report's shape (movies: model, content, random; users:
/// model, popular; each at 10 and 100), <c>--json</c> required, and the carve it measures on.
/// </summary>
public sealed class ColdStartCommandLineTests
{
    [Fact]
    public async Task ColdStartWritesTheFiguresOfModelAndBaselinesForMoviesAndUsers()
    {
        using var data = new TempFolder();
        using var output = new TempFolder();
        TestData.WriteSynthetic100K(data.Path, users: 80, items: 150);
        var json = Path.Combine(output.Path, "cold-start.json");

        var result = await TrainerProgram.RunAsync("cold-start", "--data", data.Path, "--json", json, "--threads", "1", "--seed", "3");

        Assert.True(result.ExitCode == 0, result.Output);
        Assert.Contains("content", result.StandardOutput);
        var report = JsonNode.Parse(await File.ReadAllTextAsync(json))!;
        Assert.Equal(["model", "content", "random"], report["movies"]!.AsObject().Select(p => p.Key));
        Assert.Equal(["model", "popular"], report["users"]!.AsObject().Select(p => p.Key));
        foreach (var figures in report["movies"]!.AsObject().Concat(report["users"]!.AsObject()))
        {
            Assert.Equal(["10", "100"], figures.Value!.AsObject().Select(p => p.Key));
            var top10 = figures.Value!["10"]!.GetValue<double>();
            var top100 = figures.Value!["100"]!.GetValue<double>();
            Assert.InRange(top10, 0, 1);
            Assert.InRange(top100, top10, 1);
        }
        Assert.Equal(15, report["details"]!["movies"]!["heldOut"]!.GetValue<int>()); // 10% of 150 movies
        Assert.Equal(3, report["seed"]!.GetValue<int>());
    }

    [Fact]
    public async Task ColdStartWithoutJsonIsAUsageError()
    {
        using var data = new TempFolder();
        TestData.WriteSynthetic100K(data.Path);

        var result = await TrainerProgram.RunAsync("cold-start", "--data", data.Path);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--json", result.StandardError);
    }

    [Fact]
    public void AHeldOutMovieLeavesTheCatalogueWithEveryRatingOfIt()
    {
        using var data = new TempFolder();
        TestData.WriteSynthetic100K(data.Path);
        var dataset = MovieLensLoader.Load(data.Path);
        var heldOut = ColdStartCarve.HeldOut(dataset.Items.Count, 42);

        var (remaining, original) = ColdStartCarve.WithoutMovies(dataset, heldOut);

        Assert.Equal(4, heldOut.Length); // 10% of 40 movies
        Assert.Equal(dataset.Items.Count - heldOut.Length, remaining.Items.Count);
        Assert.DoesNotContain(original, heldOut.Contains);
        var kept = Enumerable.Range(0, dataset.PairCount).Count(p => !heldOut.Contains(dataset.PairItems[p]));
        Assert.Equal(kept, remaining.PairCount);
        Assert.All(Enumerable.Range(0, remaining.PairCount), p => Assert.Equal(dataset.Items[original[remaining.PairItems[p]]], remaining.Items[remaining.PairItems[p]]));
        Assert.Equal(heldOut, ColdStartCarve.HeldOut(dataset.Items.Count, 42)); // seeded
    }
}
