using System.Text.Json.Nodes;

namespace MovieRecommender.Trainer.Tests;

/// <summary><c>recommender-trainer ablation</c> as users run it (the built trainer as a process): one row per variant, each switching what its name says, and a report that names the machine.</summary>
public sealed class AblationCommandLineTests
{
    [Fact]
    public async Task EachVariantSwitchesWhatItsNameSaysAndTheReportNamesTheMachine()
    {
        using var data = new TempFolder();
        using var output = new TempFolder();
        TestData.WriteSynthetic100K(data.Path, users: 40, items: 30);
        var json = Path.Combine(output.Path, "ablation.json");

        var result = await TrainerProgram.RunAsync("ablation", "--data", data.Path, "--json", json, "--threads", "1");

        Assert.True(result.ExitCode == 0, result.Output);
        var report = JsonNode.Parse(await File.ReadAllTextAsync(json))!;
        Assert.Equal("ablation", report["benchmark"]!.GetValue<string>());
        Assert.False(string.IsNullOrWhiteSpace(report["machine"]!["cpuModel"]!.GetValue<string>()));
        Assert.False(string.IsNullOrWhiteSpace(report["machine"]!["vectorInstructions"]!.GetValue<string>()));
        Assert.Contains("CPU ", result.StandardOutput);

        var variants = report["variants"]!.AsArray().Select(v => v!).ToList();
        Assert.Equal("default", variants[0]["variant"]!.GetValue<string>());
        Assert.StartsWith("EASE", variants[^1]["variant"]!.GetValue<string>());
        static string[] Features(JsonNode row) => row["features"]!.GetValue<string>().Split(',');
        var defaults = Features(variants[0]);
        foreach (var row in variants.Where(v => v["variant"]!.GetValue<string>().StartsWith("without ", StringComparison.Ordinal)))
        {
            var name = row["variant"]!.GetValue<string>()["without ".Length..];
            if (name == "item bias")
            {
                Assert.False(row["itemBias"]!.GetValue<bool>());
                continue;
            }
            Assert.Contains(name, defaults);
            Assert.Equal(defaults.Where(f => f != name), Features(row));
        }
        Assert.All(variants.SkipLast(1), v => Assert.InRange(v["validationTop10"]!.GetValue<double>(), 0, 1));
    }
}
