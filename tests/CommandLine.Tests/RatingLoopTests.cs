using System.Globalization;
using System.Text;
using System.Text.Json;
using MovieRecommender.Artifacts;

namespace MovieRecommender.CommandLine.Tests;

/// <summary>
/// The rating loop through the real command lines, as a user runs it: a real silo process; <c>recommender-trainer train
/// --publish</c> on a small generated MovieLens 100K folder; <c>recommender rate</c>; <c>recommender export-ratings</c>;
/// <c>recommender-trainer train --extra-ratings</c>; <c>recommender publish</c>; then the new version has the ratings in
/// its training data and its seen lists, and <c>recommender recommend --json</c> leaves those movies out.
/// </summary>
public sealed class RatingLoopTests
{
    private const int Users = 40;
    private const int Movies = 30;
    private const int Seed = 7;
    private const string User = "5";

    [Fact]
    public async Task RateExportRetrainWithExtraRatingsAndPublishLearnsTheRatingsAndExcludesTheMovies()
    {
        using var temp = new TempFolder();
        var data = Directory.CreateDirectory(Path.Combine(temp.Path, "ml-100k")).FullName;
        var rated = WriteDataset(data); // (user, movie) pairs of u.data, unique
        var models = Path.Combine(temp.Path, "models");
        await using var silo = await SiloProcess.StartAsync(Path.Combine(temp.Path, "store"), withoutInheritedOtel: true);

        // 1. Train and publish the first version.
        var first = await RunAsync(silo, "Trainer", ["train", "--data", data, "--out", models, .. TrainingOptions, "--publish"]);
        var v1 = ModelArtifact.Load(first.LastLine);

        // 2. The user rates three movies the first version recommends and the data has no rating of.
        var before = await RecommendAsync(silo, k: 20);
        Assert.Equal(v1.Manifest.Version, before.Version);
        var picks = before.Movies.Where(m => !rated.Contains((User, m))).Take(3).ToArray();
        Assert.Equal(3, picks.Length);
        foreach (var movie in picks)
            await RunAsync(silo, "Client", ["rate", User, movie, "5"]);
        Assert.DoesNotContain((await RecommendAsync(silo, k: Movies)).Movies, picks.Contains); // excluded at once

        // 3. Export the ratings and retrain with them; publish the new version.
        var export = Path.Combine(temp.Path, "new-ratings.csv");
        await RunAsync(silo, "Client", ["export-ratings", "--out", export]);
        var exported = File.ReadAllLines(export);
        Assert.Equal("userId,movieId,rating,timestamp", exported[0]);
        var exportedMovies = exported[1..].Select(l => l.Split(',')).Select(f => { Assert.Equal(User, f[0]); return f[1]; }).ToArray();
        Assert.Equal(picks.Order(), exportedMovies.Order());

        var second = await RunAsync(silo, "Trainer", ["train", "--data", data, "--extra-ratings", export, "--out", models, .. TrainingOptions]);
        var v2 = ModelArtifact.Load(second.LastLine);
        Assert.NotEqual(v1.Manifest.Version, v2.Manifest.Version);
        await RunAsync(silo, "Client", ["publish", v2.Folder]);

        // 4. The new version learned the ratings: they are three more interactions of its data, and those the seeded
        //    split put in training are among the user's seen movies in users.tsv (the trainer's split: a Fisher-Yates
        //    shuffle of the unique pairs, in the order read, with System.Random(seed); the first 80% train).
        Assert.Equal(Pairs(v1.Manifest) + 3, Pairs(v2.Manifest));
        var pairCount = rated.Count + 3;
        var order = Permutation(pairCount, Seed);
        var trainCount = (int)(0.8 * pairCount);
        Assert.Equal(trainCount, v2.Manifest.Counts.TrainInteractions);
        var inTraining = exportedMovies.Where((_, k) => Array.IndexOf(order, rated.Count + k) < trainCount).ToArray();
        Assert.NotEmpty(inTraining);
        var seen = v2.Users.Single(u => u.Id == User).Seen;
        Assert.Equal(inTraining.Order(), seen.Intersect(picks).Order());
        Assert.DoesNotContain(v1.Users.Single(u => u.Id == User).Seen, picks.Contains);

        // ... and serves the user without them.
        var served = await RecommendAsync(silo, k: Movies);
        Assert.Equal(v2.Manifest.Version, served.Version);
        Assert.Equal("model", served.Source);
        Assert.NotEmpty(served.Movies);
        Assert.DoesNotContain(served.Movies, picks.Contains);
        Assert.DoesNotContain(served.Movies, seen.Contains);
    }

    private static readonly string[] TrainingOptions =
        ["--seed", Seed.ToString(CultureInfo.InvariantCulture), "--dim", "8", "--epochs", "3", "--validation", "0", "--batch", "256", "--threads", "1"];

    private static int Pairs(ModelManifest manifest) => manifest.Counts.TrainInteractions + manifest.Counts.TestInteractions;

    private static async Task<(string Version, string Source, string[] Movies)> RecommendAsync(SiloProcess silo, int k = 10)
    {
        var result = await RunAsync(silo, "Client", ["recommend", User, "--json", "--k", k.ToString(CultureInfo.InvariantCulture)]);
        using var json = JsonDocument.Parse(result.StandardOutput.Trim());
        var root = json.RootElement;
        return (root.GetProperty("modelVersion").GetString()!, root.GetProperty("source").GetString()!,
            root.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetString()!).ToArray());
    }

    /// <summary>Runs a program of src/ (Client, Trainer) against the silo; it must succeed.</summary>
    private static async Task<ChildResult> RunAsync(SiloProcess silo, string program, string[] arguments)
    {
        var result = await silo.RunProgramAsync(program, arguments);
        Assert.True(result.ExitCode == 0, $"{program} {string.Join(' ', arguments)}: exit {result.ExitCode}: {result.Tail(5)}");
        return result;
    }

    /// <summary>A MovieLens 100K folder (u.item, u.user, u.data) where users of a group mostly rate the group's movies;
    /// returns the (user, movie) pairs of u.data, each once.</summary>
    private static HashSet<(string User, string Movie)> WriteDataset(string dir)
    {
        var random = new Random(Seed);
        var items = new StringBuilder();
        for (var i = 1; i <= Movies; i++)
        {
            var flags = Enumerable.Range(0, 19).Select(g => g == 1 + i % 3 ? "1" : "0");
            items.Append(CultureInfo.InvariantCulture, $"{i}|Movie {i} ({1990 + i % 8})|01-Jan-{1990 + i % 8}||http://example.org/{i}|{string.Join('|', flags)}\n");
        }
        File.WriteAllText(Path.Combine(dir, "u.item"), items.ToString(), Encoding.Latin1);
        var users = new StringBuilder();
        var ratings = new StringBuilder();
        var pairs = new HashSet<(string, string)>();
        for (var u = 1; u <= Users; u++)
        {
            users.Append(CultureInfo.InvariantCulture, $"{u}|{20 + u % 40}|{(u % 2 == 0 ? "M" : "F")}|{(u % 3 == 0 ? "writer" : "engineer")}|{10000 + u}\n");
            for (var i = 1; i <= Movies; i++)
                if (random.NextDouble() < (i % 3 == u % 3 ? 0.6 : 0.05))
                {
                    ratings.Append(CultureInfo.InvariantCulture, $"{u}\t{i}\t{1 + random.Next(5)}\t{880000000 + u * 100 + i}\n");
                    pairs.Add(($"{u}", $"{i}"));
                }
        }
        File.WriteAllText(Path.Combine(dir, "u.user"), users.ToString());
        File.WriteAllText(Path.Combine(dir, "u.data"), ratings.ToString());
        return pairs;
    }

    /// <summary>The trainer's split permutation (TrainTestSplit.Permutation): Fisher-Yates driven by System.Random(seed).</summary>
    private static int[] Permutation(int n, int seed)
    {
        var order = Enumerable.Range(0, n).ToArray();
        var random = new Random(seed);
        for (var k = n - 1; k > 0; k--)
        {
            var j = random.Next(k + 1);
            (order[k], order[j]) = (order[j], order[k]);
        }
        return order;
    }
}
