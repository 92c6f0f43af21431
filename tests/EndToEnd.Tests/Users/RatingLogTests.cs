using System.Collections.Concurrent;
using System.Globalization;
using MovieRecommender.Artifacts;

namespace MovieRecommender.EndToEnd.Tests.Users;

/// <summary>
/// The user log through the real doors, on a real silo process with the file store: ratings given with the console
/// are served folded in and <c>verify</c> counts them and passes; and every rating acknowledged over HTTP survives
/// kill -9 of the silo mid-stream, exactly once in <c>export-ratings</c>.
/// </summary>
public sealed class RatingLogTests
{
    [Fact]
    public async Task RatingsGivenWithTheConsoleAreServedAndVerifyComparesWithThemAndPasses()
    {
        using var temp = new TempFolder();
        var artifactDir = ArtifactWriter.Write(Path.Combine(temp.Path, "models"), TestArtifacts.Content(users: 30, items: 200, dim: 8, seed: 4141));
        var artifact = ModelArtifact.Load(artifactDir);
        await using var silo = await SiloProcess.StartAsync(Path.Combine(temp.Path, "store"), withoutInheritedOtel: true);
        await silo.RunConsoleAsync("publish", artifactDir);

        // Two users the model knows rate movies they did not see; a user it does not know rates two.
        var unseen = artifact.Items.Select(i => i.Id).Where(id => !artifact.Users[0].Seen.Contains(id) && !artifact.Users[1].Seen.Contains(id)).Take(3).ToArray();
        await silo.RunConsoleAsync("rate", artifact.Users[0].Id, unseen[0], "5");
        await silo.RunConsoleAsync("rate", artifact.Users[0].Id, unseen[1], "2.5");
        await silo.RunConsoleAsync("rate", artifact.Users[1].Id, unseen[2], "4");
        await silo.RunConsoleAsync("rate", "880001", unseen[0], "4.5");
        await silo.RunConsoleAsync("rate", "880001", unseen[1], "3");

        var verify = await silo.RunConsoleAsync("verify", artifactDir, "--k", "10");
        Assert.Contains("31/31 users served their exact top 10 (exact)", RunScriptTests.OneLine(verify.Output));
        Assert.Contains("the live state of 3 users", RunScriptTests.OneLine(verify.Output));
    }

    [Fact]
    public async Task EveryRatingAcknowledgedBeforeAKillNineIsExportedExactlyOnce()
    {
        const int ratings = 6_000;
        using var temp = new TempFolder();
        var artifactDir = ArtifactWriter.Write(Path.Combine(temp.Path, "models"), TestArtifacts.Content(users: 20, items: 400, dim: 8, seed: 77));
        var artifact = ModelArtifact.Load(artifactDir);
        var store = Path.Combine(temp.Path, "store");
        var (siloPort, gatewayPort) = Ports.FreePair();
        string[] settings = [.. SiloHttp.Settings, $"--Http:Port={Ports.Free().ToString(CultureInfo.InvariantCulture)}"];
        var silo = await SiloProcess.StartAsync(store, siloPort, gatewayPort, settings, withoutInheritedOtel: true);
        try
        {
            await silo.RunConsoleAsync("publish", artifactDir);

            // Distinct (user, movie) pairs, users the model does not know, so that a rating exported twice shows.
            var posts = Enumerable.Range(0, ratings)
                .Select(i => ((600000 + i / artifact.Items.Count).ToString(CultureInfo.InvariantCulture), artifact.Items[i % artifact.Items.Count].Id, 0.5 + i % 10 * 0.5))
                .ToArray();
            var acknowledged = new ConcurrentBag<(string User, string Movie, double Rating)>();
            var next = -1;
            var failed = 0;
            using var http = new SiloHttp(silo.HttpAddress);
            var killed = new TaskCompletionSource();
            var load = Task.WhenAll(Enumerable.Range(0, 16).Select(async _ =>
            {
                for (var i = Interlocked.Increment(ref next); i < posts.Length; i = Interlocked.Increment(ref next))
                {
                    // Not retried: a rating sent twice could be recorded twice, which is the caller's doing, not the log's.
                    try
                    {
                        using var response = await http.RateAsync(posts[i].Item1, posts[i].Item2, posts[i].Item3);
                        if (response.IsSuccessStatusCode) acknowledged.Add(posts[i]);
                        else Interlocked.Increment(ref failed);
                    }
                    catch (HttpRequestException)
                    {
                        Interlocked.Increment(ref failed);
                        await killed.Task;
                    }
                    catch (TaskCanceledException)
                    {
                        Interlocked.Increment(ref failed);
                        await killed.Task;
                    }
                }
            }));

            // Mid-stream: kill -9, then the same silo again on the same store and ports.
            while (acknowledged.Count < ratings / 3) await Task.Delay(50);
            await silo.KillAsync();
            await silo.DisposeAsync();
            silo = await SiloProcess.StartAsync(store, siloPort, gatewayPort, settings, withoutInheritedOtel: true);
            killed.SetResult();
            await load;
            Assert.True(acknowledged.Count > ratings / 2, $"only {acknowledged.Count} of {ratings} ratings were acknowledged ({failed} failed)");

            var export = Path.Combine(temp.Path, "ratings.csv");
            await silo.RunConsoleAsync("export-ratings", "--out", export);
            var exported = File.ReadLines(export).Skip(1).Select(line => line.Split(','))
                .Select(f => (User: f[0], Movie: f[1], Rating: double.Parse(f[2], CultureInfo.InvariantCulture))).ToArray();
            Assert.Equal(exported.Length, exported.Distinct().Count());
            var missing = acknowledged.Except(exported).ToArray();
            Assert.True(missing.Length == 0, $"{missing.Length} acknowledged ratings are not in the export, e.g. {missing.FirstOrDefault()}");
            // Only ratings that were sent: at most those acknowledged plus those in flight when the silo died.
            Assert.Empty(exported.Except(posts));
            Assert.InRange(exported.Length, acknowledged.Count, acknowledged.Count + failed);
        }
        finally
        {
            await silo.DisposeAsync();
        }
    }
}
