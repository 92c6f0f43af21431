using System.Net;
using Microsoft.Extensions.Options;
using MovieRecommender.HttpApi;

namespace MovieRecommender.HttpApi.Tests;

/// <summary>
/// What needs a silo of its own: readiness before and after a publish, activating and rolling back versions, keys
/// required on recommendation routes, the rate limit; and settings refused at start-up.
/// </summary>
public sealed class HttpLifecycleTests
{
    [Fact]
    public async Task ReadinessFollowsThePublishAndOperatorsMoveBetweenKeptVersions()
    {
        using var folderA = new TempFolder();
        using var folderB = new TempFolder();
        using var folderC = new TempFolder();
        await using var silo = await HttpSilo.StartAsync();
        var http = silo.Http;

        // Alive at once, not ready before anything is published.
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("healthz")).StatusCode);
        var unready = await http.GetAsync("readyz");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, unready.StatusCode);
        Assert.Contains("No version is active yet", await unready.Content.ReadAsStringAsync());
        var none = await Problems.Expect(await http.GetAsync("v1/users/1/recommendations"), HttpStatusCode.ServiceUnavailable);
        Assert.Contains("No model is published yet", none.Detail());

        var a = await silo.PublishAsync(folderA, users: 20, items: 90, dim: 8, seed: 1311, shards: 2);
        var ready = await Problems.Json(await http.GetAsync("readyz"));
        Assert.Contains($"Version {a.Version} is active and its 2 shard(s) answer", ready.GetProperty("checks").GetProperty("active-version").GetProperty("description").GetString());

        var b = await silo.PublishAsync(folderB, users: 20, items: 110, dim: 8, seed: 1312, shards: 3);
        await AssertServes(http, b);

        // Activating the active version changes nothing; activating the previous one is a rollback.
        Assert.Equal(b.Version, (await Problems.Json(await Operator(http, $"v1/versions/{b.Version}/activate"))).GetProperty("version").GetString());
        Assert.Equal(a.Version, (await Problems.Json(await Operator(http, $"v1/versions/{a.Version}/activate"))).GetProperty("version").GetString());
        await AssertServes(http, a);
        Assert.Equal(b.Version, (await Problems.Json(await Operator(http, "v1/versions/rollback"))).GetProperty("version").GetString());
        await AssertServes(http, b);

        var unknown = await Problems.Expect(await Operator(http, "v1/versions/no-such-version/activate"), HttpStatusCode.NotFound);
        Assert.Contains($"Version 'no-such-version' is not known to the cluster; its versions are", unknown.Detail());

        // A third publish retires the oldest: it can no longer be activated, only published again.
        await silo.PublishAsync(folderC, users: 20, items: 70, dim: 8, seed: 1313, shards: 2);
        var retired = await Problems.Expect(await Operator(http, $"v1/versions/{a.Version}/activate"), HttpStatusCode.Conflict);
        Assert.Equal($"Version {a.Version} was retired (its shards were freed); publish its artifact again to serve it ('publish ARTIFACT_DIR').", retired.Detail());
    }

    [Fact]
    public async Task ASiloIsNotReadyWhileAShardOfTheActiveVersionDoesNotAnswer()
    {
        using var folder = new TempFolder();
        using var store = new TempFolder();
        ModelVersionInfoAndArtifact published;
        await using (var first = await HttpSilo.StartOnStoreAsync(store.Path))
        {
            published = await first.PublishAsync(folder, users: 10, items: 60, dim: 4, seed: 1331, shards: 2);
            Assert.Equal(HttpStatusCode.OK, (await first.Http.GetAsync("readyz")).StatusCode);
        }
        var version = published.Version;
        // Shard 1's partition lost from the store: after a restart it has nothing to load.
        var partition = Assert.Single(Directory.GetFiles(Path.Combine(store.Path, "candidates"), $"{version}%2f1.bin", SearchOption.AllDirectories));
        File.Delete(partition);

        await using var restarted = await HttpSilo.StartOnStoreAsync(store.Path);
        var unready = await restarted.Http.GetAsync("readyz");
        var body = await unready.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.ServiceUnavailable, unready.StatusCode);
        Assert.True(body.Contains($"1 of 2 shards of version {version} do not answer yet: shard 1 (Shard {version}/1 holds nothing of version {version}: the version was retired or never published, or the shard's partition is missing from the store", StringComparison.Ordinal), body);
        // Shard 0 still serves: an answer says it is partial rather than pretending to be whole.
        var answer = await Problems.Json(await restarted.Http.GetAsync($"v1/users/{published.Artifact.Users[0].Id}/recommendations?k=3"));
        Assert.Equal(1, answer.GetProperty("shardsAnswered").GetInt32());
        Assert.Equal(2, answer.GetProperty("shardCount").GetInt32());
    }

    [Fact]
    public async Task ASiloToldToStopAnswers503OnReadyzWhileItDrainsAndServesOnUntilTheDrainEnds()
    {
        using var folder = new TempFolder();
        var drain = TimeSpan.FromSeconds(3);
        var silo = await HttpSilo.StartAsync("--Serving:Shutdown:DrainDelay=00:00:03");
        try
        {
            var published = await silo.PublishAsync(folder, users: 10, items: 40, dim: 4, seed: 1341, shards: 2);
            Assert.Equal(HttpStatusCode.OK, (await silo.Http.GetAsync("readyz")).StatusCode);

            // As SIGTERM does: the host is told to stop; the drain comes before any service stops.
            var clock = System.Diagnostics.Stopwatch.StartNew();
            var stopping = silo.App.StopAsync();
            var readyz = await silo.Http.GetAsync("readyz");
            var body = await readyz.Content.ReadAsStringAsync();
            Assert.Equal(HttpStatusCode.ServiceUnavailable, readyz.StatusCode);
            Assert.Contains("Draining: this silo is stopping", body);
            // Still serving meanwhile, liveness included: requests under way and those already sent here finish.
            Assert.Equal(HttpStatusCode.OK, (await silo.Http.GetAsync("healthz")).StatusCode);
            var answer = await Problems.Json(await silo.Http.GetAsync($"v1/users/{published.Artifact.Users[0].Id}/recommendations?k=3"));
            Assert.Equal(published.Version, answer.GetProperty("modelVersion").GetString());
            Assert.False(stopping.IsCompleted, $"the host stopped {clock.Elapsed.TotalSeconds:0.0} s in, before its {drain.TotalSeconds} s drain ended");

            await stopping;
            Assert.True(clock.Elapsed >= drain - TimeSpan.FromMilliseconds(100), $"stopped after {clock.Elapsed.TotalSeconds:0.00} s, drain {drain.TotalSeconds} s");
        }
        finally
        {
            await silo.DisposeAsync();
        }
    }

    [Fact]
    public async Task RecommendationRoutesCanRequireAKeyAndEachClientHasItsRateLimit()
    {
        using var folder = new TempFolder();
        await using var silo = await HttpSilo.StartAsync("--Http:RequireClientKey=true", "--Http:RateLimit:PermitsPerSecond=2", "--Http:RateLimit:Burst=3");
        var published = await silo.PublishAsync(folder, users: 10, items: 40, dim: 4, seed: 1321, shards: 2);
        var path = $"v1/users/{published.Artifact.Users[0].Id}/recommendations";

        var missing = await Problems.Expect(await silo.Http.GetAsync(path), HttpStatusCode.Unauthorized);
        Assert.Equal("This route needs an API key (Http:ClientKeys): send it in the X-Api-Key header.", missing.Detail());

        // A burst of 3, then the bucket is empty: 429 with Retry-After and the limit's key in the message. Sent at
        // once, so that a slow first answer on a busy machine cannot let the bucket refill between them.
        var responses = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ =>
        {
            var request = new HttpRequestMessage(HttpMethod.Get, path);
            request.Headers.Add("X-Api-Key", HttpSilo.ClientKey);
            return silo.Http.SendAsync(request);
        }));
        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests], responses.Select(r => r.StatusCode).Order());
        var refused = responses.Single(r => r.StatusCode == HttpStatusCode.TooManyRequests);
        Assert.True(refused!.Headers.RetryAfter?.Delta is { } wait && wait >= TimeSpan.FromSeconds(1), $"Retry-After: {refused.Headers.RetryAfter}");
        var problem = await Problems.Expect(refused, HttpStatusCode.TooManyRequests);
        Assert.StartsWith("This client sent more than 2 requests a second (bursts of 3; Http:RateLimit on the silo); retry after", problem.Detail());

        // Another client (the operator's key) has its own bucket; health probes are never limited.
        using var asOperator = new HttpRequestMessage(HttpMethod.Get, path);
        asOperator.Headers.Add("X-Api-Key", HttpSilo.OperatorKey);
        Assert.Equal(HttpStatusCode.OK, (await silo.Http.SendAsync(asOperator)).StatusCode);
        for (var i = 0; i < 5; i++) Assert.Equal(HttpStatusCode.OK, (await silo.Http.GetAsync("healthz")).StatusCode);
    }

    [Theory]
    [InlineData("--Http:Port=99999", "Http:Port is 99999: expected a TCP port between 1 and 65535.")]
    [InlineData("--Http:Host=everywhere", "Http:Host is 'everywhere': expected an IP address (127.0.0.1, 0.0.0.0, ::) or localhost.")]
    [InlineData("--Http:OperatorKey=short", "Http:OperatorKey is 5 characters long: expected at least 16")]
    [InlineData("--Http:RequireClientKey=true", "Http:RequireClientKey is in force (set to true) but no key is configured: set Http:ClientKeys:0")]
    [InlineData("--Http:Host=0.0.0.0", "Http:RequireClientKey is in force (Http:Host 0.0.0.0 is not loopback) but no key is configured")]
    [InlineData("--Http:RateLimit:PermitsPerSecond=-1", "Http:RateLimit:PermitsPerSecond is -1: expected 0 (no limit) or more requests a second.")]
    [InlineData("--Http:Port=eighty", "Http:Port")]
    public void ABadSettingStopsTheSiloNamingItsKey(string setting, string message)
    {
        using var store = new TempFolder();
        var error = Assert.Throws<OptionsValidationException>(() => MovieRecommender.Silo.Program.Build([$"--Storage:Root={store.Path}", setting]));
        Assert.Contains(message, error.Message);
    }

    /// <summary>A user's answer reports the version and is its exact top K.</summary>
    private static async Task AssertServes(HttpClient http, ModelVersionInfoAndArtifact published)
    {
        const int row = 1;
        var answer = await Problems.Json(await http.GetAsync($"v1/users/{published.Artifact.Users[row].Id}/recommendations?k=5"));
        Assert.Equal(published.Version, answer.GetProperty("modelVersion").GetString());
        var expected = TestArtifacts.BruteForceTopK(published.Artifact, row, 5).Select(e => published.Artifact.Items[e.Row].Id);
        Assert.Equal(expected, answer.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetString()));
    }

    private static Task<HttpResponseMessage> Operator(HttpClient http, string path)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path);
        request.Headers.Add("X-Api-Key", HttpSilo.OperatorKey);
        return http.SendAsync(request);
    }
}
