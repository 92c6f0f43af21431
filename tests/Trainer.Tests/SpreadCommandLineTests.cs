using System.Text.Json.Nodes;
using MovieRecommender.Artifacts;
using MovieRecommender.Trainer.Commands;

namespace MovieRecommender.Trainer.Tests;

/// <summary>
/// <c>recommender-trainer spread</c> as users run it (the built trainer as a process): each seed's row is what
/// <c>train --seed</c> prints for that seed, and the summary is computed from the rows.
/// </summary>
public sealed class SpreadCommandLineTests
{
    [Fact]
    public async Task EachSeedRowIsWhatTrainWithThatSeedEvaluatesAndTheSummaryComesFromTheRows()
    {
        using var data = new TempFolder();
        using var output = new TempFolder();
        TestData.WriteSynthetic100K(data.Path, users: 80, items: 150);
        var json = Path.Combine(output.Path, "spread.json");

        var spread = await TrainerProgram.RunAsync("spread", "--data", data.Path, "--seeds", "3", "5", "--json", json, "--threads", "1");

        Assert.True(spread.ExitCode == 0, spread.Output);
        var report = JsonNode.Parse(await File.ReadAllTextAsync(json))!;
        var rows = report["seeds"]!.AsArray();
        Assert.Equal([3, 5], rows.Select(r => r!["seed"]!.GetValue<int>()));
        Assert.False(string.IsNullOrWhiteSpace(report["machine"]!["cpuModel"]!.GetValue<string>()));

        // Seed 3's row holds the figures train --seed 3 writes into its manifest (same split, same training, deterministic).
        var train = await TrainerProgram.RunAsync("train", "--data", data.Path, "--out", output.Path, "--seed", "3", "--threads", "1");
        Assert.True(train.ExitCode == 0, train.Output);
        var manifest = ModelManifest.FromJson(await File.ReadAllTextAsync(Path.Combine(train.LastLine, ModelManifest.FileName)), train.LastLine);
        var test = rows[0]!["test"]!;
        Assert.Equal(manifest.Evaluation.Model.SeenExcluded["10"], test["model10"]!.GetValue<double>());
        Assert.Equal(manifest.Evaluation.Model.SeenExcluded["100"], test["model100"]!.GetValue<double>());
        Assert.Equal(manifest.Evaluation.Ease.SeenExcluded["10"], test["ease10"]!.GetValue<double>());
        Assert.Equal(manifest.Evaluation.Ease.SeenExcluded["100"], test["ease100"]!.GetValue<double>());
        Assert.InRange(manifest.Evaluation.Model.SeenExcluded["100"], 0.1, 0.999); // 150 movies: top-100 is not all of them

        var gains = new List<double>();
        foreach (var row in rows)
        {
            var t = row!["test"]!;
            var gain10 = t["gain10"]!.GetValue<double>();
            Assert.Equal(Math.Round((t["model10"]!.GetValue<double>() / t["ease10"]!.GetValue<double>() - 1) * 100, 3), gain10, 6);
            gains.Add(gain10);
            var validation = row["validation"]!;
            Assert.InRange(validation["model10"]!.GetValue<double>(), 0, 1);
            Assert.InRange(validation["ease100"]!.GetValue<double>(), 0, 1);
        }
        var summary = report["summary"]!["testGainTop10Percent"]!;
        Assert.Equal(gains.Average(), summary["mean"]!.GetValue<double>(), 5);
        Assert.Equal(2, summary["count"]!.GetValue<int>());
        Assert.Equal(gains.Min(), summary["min"]!.GetValue<double>());
        var meeting = rows.Count(r => r!["test"]!["meetsGoal"]!.GetValue<bool>());
        Assert.Equal(meeting, report["seedsMeetingGoal"]!.GetValue<int>());
        Assert.Contains($"Seeds where both test gains reach +3%: {meeting} of 2.", string.Join(' ', spread.StandardOutput.Split('\n').Select(l => l.Trim())));
    }

    [Fact]
    public void AStatisticIsTheMeanTheSampleStandardDeviationAndTheRange()
    {
        var s = SpreadStatistic.Of([1, 2, 3, 4])!;
        Assert.Equal(2.5, s.Mean);
        Assert.Equal(Math.Round(Math.Sqrt(5.0 / 3), 6), s.StandardDeviation); // squared deviations 2.25+0.25+0.25+2.25 = 5, over n-1 = 3
        Assert.Equal((1.0, 4.0, 4), (s.Min, s.Max, s.Count));
        Assert.Equal(0, SpreadStatistic.Of([7])!.StandardDeviation);
        Assert.Null(SpreadStatistic.Of([]));
    }

    [Fact]
    public void AGainIsTheModelOverEASEMinusOneInPercentAndTheGoalNeedsBoth()
    {
        var figures = new SpreadFigures(Model10: 0.206, Ease10: 0.2, Model100: 0.61, Ease100: 0.6);
        Assert.Equal(3.0, figures.Gain10, 9);
        Assert.Equal(Math.Round(100.0 / 60, 3), figures.Gain100, 9); // 0.61 / 0.6 - 1 = 1.667%
        Assert.False(figures.MeetsGoal);
        Assert.True((figures with { Model100 = 0.618 }).MeetsGoal);
    }
}
