using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using MovieRecommender.Contracts;
using Xunit.Abstractions;

namespace MovieRecommender.AppHost.Tests;

/// <summary>
/// <c>dotnet run --project deploy/AppHost</c> as a user runs it: the real AppHost process brings up redis-server, three
/// silos and the dashboard, its trainer trains on MovieLens 100K and publishes, every silo becomes ready and answers
/// user 42's top 10 over HTTP; then SIGTERM (as Ctrl+C) stops it, and not one process it led to is left.
/// It runs the built AppHost rather than Aspire.Hosting.Testing's builder: that one hosts the AppHost inside the test,
/// moves its ports and leaves the dashboard out, so neither the dashboard nor a user's way of stopping it would be tested.
/// </summary>
public sealed class AppHostTests(ITestOutputHelper output)
{
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(240);
    private static readonly TimeSpan GoneTimeout = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task TheAppHostServesRecommend42FromEverySiloAndLeavesNoProcessBehind()
    {
        var movieLens = Environment.GetEnvironmentVariable("MOVIELENS_DIR") is { Length: > 0 } given && File.Exists(Path.Combine(given, "u.data"))
            ? given
            : Path.GetFullPath(Path.Combine(RepositoryRoot.Path, "..", "shared", "data", "ml-100k"));
        Assert.True(File.Exists(Path.Combine(movieLens, "u.data")), $"MovieLens 100K is not at {movieLens}; set MOVIELENS_DIR.");
        using var temp = new TempFolder();
        var clock = Stopwatch.StartNew();
        var appHost = await AppHostProcess.StartAsync(Path.Combine(temp.Path, "models"), movieLens);
        await using (appHost)
        {
            output.WriteLine($"AppHost started in {clock.Elapsed.TotalSeconds:F0} s");
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(15) };

            using (var login = await http.GetAsync(new Uri(appHost.Dashboard, "login")))
                Assert.Equal(HttpStatusCode.OK, login.StatusCode);

            await WaitUntilEverySiloIsReadyAsync(appHost, http);
            output.WriteLine($"every silo ready after {clock.Elapsed.TotalSeconds:F0} s; model {string.Join(", ", Directory.GetDirectories(Path.Combine(temp.Path, "models")).Select(Path.GetFileName))}");

            foreach (var silo in appHost.SiloHttp)
            {
                var answer = await http.GetFromJsonAsync<RecommendationJson>(new Uri(silo, "v1/users/42/recommendations?k=10"));
                Assert.NotNull(answer);
                Assert.Equal("42", answer.User);
                Assert.Equal("model", answer.Source);
                Assert.Equal(answer.ShardCount, answer.ShardsAnswered);
                Assert.Equal(10, answer.Items.Count);
                Assert.Equal(10, answer.Items.Select(m => m.Id).Distinct().Count());
            }

            // What was seen running proves the watch saw the cluster, so that 'nothing left' below means something.
            appHost.Family.Observe();
            var seen = appHost.Family.Seen;
            Assert.Contains(seen, p => p.CommandLine.StartsWith("redis-server", StringComparison.Ordinal));
            Assert.Contains(seen, p => p.CommandLine.Contains("/tools/dcp ", StringComparison.Ordinal));
            Assert.Contains(seen, p => p.CommandLine.Contains("Aspire.Dashboard", StringComparison.Ordinal));
            Assert.Equal(AppHostProcess.Silos, seen.Count(p => p.CommandLine.Contains("MovieRecommender.Silo", StringComparison.Ordinal) && !p.CommandLine.Contains("dotnet run", StringComparison.Ordinal)));

            // As Ctrl+C: the AppHost stops its resources, then DCP cleans up after it.
            await appHost.Program.StopAsync();
            Assert.True(appHost.Program.HasExited, "the AppHost did not exit within 30 s of SIGTERM");
            var stopped = Stopwatch.StartNew();
            IReadOnlyList<ProcessEntry> left;
            while ((left = appHost.Family.Alive()).Count > 0 && stopped.Elapsed < GoneTimeout) await Task.Delay(500);
            output.WriteLine($"{seen.Count} processes seen; all gone {stopped.Elapsed.TotalSeconds:F0} s after the AppHost exited ({clock.Elapsed.TotalSeconds:F0} s in all)");
            Assert.True(left.Count == 0, $"{left.Count} processes left {GoneTimeout.TotalSeconds:F0} s after the AppHost exited:\n{string.Join('\n', left)}");
        }
    }

    private static async Task WaitUntilEverySiloIsReadyAsync(AppHostProcess appHost, HttpClient http)
    {
        var deadline = Stopwatch.StartNew();
        var answers = new string[appHost.SiloHttp.Count];
        while (true)
        {
            appHost.Family.Observe();
            for (var i = 0; i < answers.Length; i++)
            {
                try
                {
                    using var response = await http.GetAsync(new Uri(appHost.SiloHttp[i], "readyz"));
                    answers[i] = response.IsSuccessStatusCode ? "ready" : $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}";
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
                {
                    answers[i] = e.Message;
                }
            }
            if (answers.All(a => a == "ready")) return;
            if (appHost.Program.HasExited || deadline.Elapsed > ReadyTimeout)
                Assert.Fail($"not every silo was ready within {ReadyTimeout.TotalSeconds:F0} s (AppHost exited: {appHost.Program.HasExited}):\n"
                    + string.Join('\n', answers.Select((a, i) => $"silo{i + 1}: {a}")) + $"\nthe AppHost's last output:\n{appHost.Program.Tail(40)}");
            await Task.Delay(1000);
        }
    }
}
