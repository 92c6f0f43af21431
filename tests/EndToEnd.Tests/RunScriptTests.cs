using System.Globalization;
using MovieRecommender.Artifacts;
using MovieRecommender.EndToEnd.Tests.Users;

namespace MovieRecommender.EndToEnd.Tests;

/// <summary>
/// <c>./run.sh</c> as a new user runs it, twice in one folder on MovieLens 100K with ratings posted over HTTP
/// between the runs: the second run trains and publishes a new version while the ratings are still folded into
/// each user's query, and its <c>verify</c> compares with that (the artifact plus the live state), so both pass.
/// The runs get their own state folder, store and ports (RUN_DIR, MODELS_DIR and the silo's own settings), so they
/// leave a developer's <c>.run</c> and silo alone.
/// </summary>
public sealed class RunScriptTests
{
    [Fact]
    public async Task RunTwiceWithRatingsPostedBetweenPassesBothTimes()
    {
        var movieLens = Environment.GetEnvironmentVariable("MOVIELENS_DIR") is { Length: > 0 } given && File.Exists(Path.Combine(given, "u.data"))
            ? given
            : Path.GetFullPath(Path.Combine(RepositoryRoot.Path, "..", "shared", "data", "ml-100k"));
        Assert.True(File.Exists(Path.Combine(movieLens, "u.data")), $"MovieLens 100K is not at {movieLens}; set MOVIELENS_DIR.");
        using var temp = new TempFolder();
        var (siloPort, gatewayPort) = Ports.FreePair();
        var httpPort = Ports.Free();
        var environment = new Dictionary<string, string>
        {
            ["MOVIELENS_DIR"] = movieLens,
            ["RUN_DIR"] = Path.Combine(temp.Path, "run"),
            ["MODELS_DIR"] = Path.Combine(temp.Path, "models"),
            ["Storage__Root"] = Path.Combine(temp.Path, "store"),
            ["Cluster__Mode"] = "localhost",
            ["Cluster__SiloPort"] = siloPort.ToString(CultureInfo.InvariantCulture),
            ["Cluster__GatewayPort"] = gatewayPort.ToString(CultureInfo.InvariantCulture),
            ["Http__Port"] = httpPort.ToString(CultureInfo.InvariantCulture),
            ["Http__OperatorKey"] = SiloHttp.OperatorKey,
            ["Http__ClientKeys__0"] = SiloHttp.ClientKey,
        };
        try
        {
            var first = await RunScriptAsync(environment);
            Assert.Contains("users served their exact top 10 (exact)", OneLine(first.Output));

            // A few thousand ratings of random users and movies of the catalogue, as a site's users would give them.
            var artifact = ModelArtifact.Load(Directory.GetDirectories(environment["MODELS_DIR"]).Single());
            var random = new Random(24);
            var pairs = Enumerable.Range(0, 3000)
                .Select(_ => (User: artifact.Users[random.Next(artifact.Users.Count)].Id, Movie: artifact.Items[random.Next(artifact.Items.Count)].Id))
                .Distinct().ToArray();
            using var http = new SiloHttp(new Uri($"http://127.0.0.1:{httpPort.ToString(CultureInfo.InvariantCulture)}/"));
            var refused = new System.Collections.Concurrent.ConcurrentBag<string>();
            await Parallel.ForEachAsync(pairs, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (pair, _) =>
            {
                // As a client that keeps to the API's rate limit: a 429 is sent again after its Retry-After.
                while (true)
                {
                    using var response = await http.RateAsync(pair.User, pair.Movie, 1 + pair.Movie.Length % 5);
                    if (response.StatusCode != System.Net.HttpStatusCode.TooManyRequests)
                    {
                        if (!response.IsSuccessStatusCode) refused.Add($"{pair}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
                        break;
                    }
                    await Task.Delay(response.Headers.RetryAfter?.Delta ?? TimeSpan.FromSeconds(1));
                }
            });
            Assert.Empty(refused);

            // The second pass trains without tuning (run.sh passes what follows -- to train): what it checks, the
            // ratings folded into the served queries and verify comparing with them, does not depend on the tuning,
            // and the first pass already ran the README's command as it is. It saves a minute of CI.
            var second = await RunScriptAsync(environment, "--", "--no-tune");
            Assert.Contains("943/943 users served their exact top 10 (exact)", OneLine(second.Output));
            Assert.Contains($"the live state of {pairs.Select(p => p.User).Distinct().Count()} users", OneLine(second.Output));
        }
        finally
        {
            await RunScriptAsync(environment, "--stop");
        }
    }

    /// <summary>The output with its line breaks and runs of spaces as one space: the console wraps long lines.</summary>
    public static string OneLine(string output) => System.Text.RegularExpressions.Regex.Replace(output, @"\s+", " ");

    private static async Task<ChildResult> RunScriptAsync(IReadOnlyDictionary<string, string> environment, params string[] arguments)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(10));
        var result = await ChildProcess.RunAsync("bash", [Path.Combine(RepositoryRoot.Path, "run.sh"), .. arguments], RepositoryRoot.Path, environment, timeout.Token, withoutInheritedOtel: true);
        Assert.True(result.ExitCode == 0, $"run.sh {string.Join(' ', arguments)} exited {result.ExitCode}: {result.Output[^Math.Min(4000, result.Output.Length)..]}");
        return result;
    }
}
