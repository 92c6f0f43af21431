using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using MovieRecommender.Artifacts;

namespace MovieRecommender.HttpApi.Tests;

/// <summary>Every public route over real HTTP against a silo serving one published version, and its errors.</summary>
[Collection(HttpApiCollection.Name)]
public sealed class HttpApiTests(HttpApiFixture fixture)
{
    private HttpClient Http => fixture.Silo.Http;
    private ModelArtifact Artifact => fixture.Published.Artifact;

    [Fact]
    public async Task EveryUsersAnswerIsTheExactTopKOfTheVersionItReports()
    {
        const int k = 10;
        for (var row = 0; row < Artifact.Users.Count; row++)
        {
            var user = Artifact.Users[row];
            var answer = await Problems.Json(await Http.GetAsync($"v1/users/{user.Id}/recommendations?k={k}"));

            Assert.Equal(user.Id, answer.GetProperty("user").GetString());
            Assert.Equal(fixture.Published.Version, answer.GetProperty("modelVersion").GetString());
            Assert.Equal("model", answer.GetProperty("source").GetString());
            Assert.Equal(3, answer.GetProperty("shardsAnswered").GetInt32());
            Assert.Equal(3, answer.GetProperty("shardCount").GetInt32());
            Assert.True(answer.GetProperty("latencyMs").GetDouble() >= 0);
            var items = answer.GetProperty("items").EnumerateArray().ToArray();
            var expected = TestArtifacts.BruteForceTopK(Artifact, row, k);
            Assert.Equal(expected.Select(e => Artifact.Items[e.Row].Id), items.Select(i => i.GetProperty("id").GetString()));
            Assert.Equal(expected.Select(e => Artifact.Items[e.Row].Title), items.Select(i => i.GetProperty("title").GetString()));
            Assert.All(expected.Zip(items), p => Assert.Equal(p.First.Score, p.Second.GetProperty("score").GetSingle(), 1e-4));
            Assert.Equal(Enumerable.Range(1, k), items.Select(i => i.GetProperty("rank").GetInt32()));
        }
    }

    [Fact]
    public async Task TheAnswerIsTheObjectRecommendJsonPrints()
    {
        var answer = await Problems.Json(await Http.GetAsync($"v1/users/{Artifact.Users[0].Id}/recommendations"));
        Assert.Equal(["user", "modelVersion", "source", "latencyMs", "shardsAnswered", "shardCount", "items"], answer.EnumerateObject().Select(p => p.Name));
        Assert.Equal(["rank", "id", "title", "score"], answer.GetProperty("items")[0].EnumerateObject().Select(p => p.Name));
        Assert.Equal(10, answer.GetProperty("items").GetArrayLength());
    }

    [Fact]
    public async Task AUserTheModelDoesNotKnowGetsThePopularMoviesMarkedAsSuch()
    {
        var answer = await Problems.Json(await Http.GetAsync("v1/users/99999999/recommendations?k=5"));
        Assert.Equal("popular", answer.GetProperty("source").GetString());
        var counts = Artifact.Items.Select(i => Artifact.Users.Count(u => u.Seen.Contains(i.Id))).ToArray();
        var expected = Enumerable.Range(0, counts.Length).OrderByDescending(r => counts[r]).ThenBy(r => r).Take(5).Select(r => Artifact.Items[r].Id);
        Assert.Equal(expected, answer.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetString()));
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("0")]
    [InlineData("-3")]
    public async Task AMalformedUserIdIsA400NamingIt(string id)
    {
        var problem = await Problems.Expect(await Http.GetAsync($"v1/users/{id}/recommendations"), HttpStatusCode.BadRequest);
        Assert.Equal("userId", problem.GetProperty("parameter").GetString());
        Assert.Equal($"userId expects a user id (a positive integer, e.g. 42), got '{id}'.", problem.Detail());
    }

    [Theory]
    [InlineData("0", "k expects an integer from 1 to 1000, got '0': too small.")]
    [InlineData("1001", "k expects an integer from 1 to 1000, got '1001': too large.")]
    [InlineData("ten", "k expects an integer from 1 to 1000, got 'ten'.")]
    [InlineData("", "k expects an integer from 1 to 1000, got ''.")]
    public async Task ABadKIsA400WithTheConsolesWording(string k, string detail)
    {
        var problem = await Problems.Expect(await Http.GetAsync($"v1/users/{Artifact.Users[0].Id}/recommendations?k={k}"), HttpStatusCode.BadRequest);
        Assert.Equal("k", problem.GetProperty("parameter").GetString());
        Assert.Equal(detail, problem.Detail());
    }

    [Theory]
    [InlineData("genre=Western", "genre", "genre 'Western' is not a genre of version {0}; its genres are Action, Comedy, Drama.")]
    [InlineData("yearFrom=2000&yearTo=1990", "yearFrom", "yearFrom 2000 is after yearTo 1990.")]
    [InlineData("yearFrom=later", "yearFrom", "yearFrom expects an integer from 1800 to 2100, got 'later'.")]
    [InlineData("yearTo=3000", "yearTo", "yearTo expects an integer from 1800 to 2100, got '3000': too large.")]
    [InlineData("probe=0", "probe", "probe 0 is outside 1 to 256.")]
    [InlineData("probe=257", "probe", "probe 257 is outside 1 to 256.")]
    public async Task ABadFilterOrProbeIsA400NamingIt(string query, string parameter, string detail)
    {
        var problem = await Problems.Expect(await Http.GetAsync($"v1/users/{Artifact.Users[0].Id}/recommendations?{query}"), HttpStatusCode.BadRequest);
        Assert.Equal(parameter, problem.GetProperty("parameter").GetString());
        Assert.Equal(string.Format(System.Globalization.CultureInfo.InvariantCulture, detail, fixture.Published.Version), problem.Detail());
    }

    [Fact]
    public async Task FiltersAndProbeNarrowTheExactAnswer()
    {
        var row = 3;
        var user = Artifact.Users[row];
        var answer = await Problems.Json(await Http.GetAsync($"v1/users/{user.Id}/recommendations?k=7&genre=comedy&yearFrom=1960&yearTo=1999&probe=4"));
        var accepted = Enumerable.Range(0, Artifact.Items.Count)
            .Where(r => Artifact.Items[r].Genres.Contains("Comedy") && Artifact.Items[r].Year is >= 1960 and <= 1999).ToHashSet();
        var expected = TestArtifacts.BruteForceTopK(Artifact, row, Artifact.Items.Count).Where(e => accepted.Contains(e.Row)).Take(7);
        Assert.Equal(expected.Select(e => Artifact.Items[e.Row].Id), answer.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetString()));
    }

    [Fact]
    public async Task SimilarMoviesAreTheNearestCandidateEmbeddings()
    {
        const int movieRow = 42;
        var movie = Artifact.Items[movieRow];
        var answer = await Problems.Json(await Http.GetAsync($"v1/movies/{movie.Id}/similar?k=6"));

        Assert.Equal("similar", answer.GetProperty("source").GetString());
        Assert.Equal(fixture.Published.Version, answer.GetProperty("modelVersion").GetString());
        var query = Artifact.ItemEmbeddings.Row(movieRow).ToArray();
        var expected = Enumerable.Range(0, Artifact.Items.Count).Where(r => r != movieRow)
            .Select(r => (Row: r, Score: Dot(query, Artifact.ItemEmbeddings.Row(r).ToArray())))
            .OrderByDescending(p => p.Score).ThenBy(p => p.Row).Take(6);
        Assert.Equal(expected.Select(e => Artifact.Items[e.Row].Id), answer.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetString()));
    }

    [Fact]
    public async Task AnUnknownMovieIsA404()
    {
        var similar = await Problems.Expect(await Http.GetAsync("v1/movies/424242/similar"), HttpStatusCode.NotFound);
        Assert.Equal($"Movie '424242' is not in the catalogue of version {fixture.Published.Version}.", similar.Detail());
        var rating = await Problems.Expect(await Http.PostAsJsonAsync($"v1/users/{Artifact.Users[1].Id}/ratings", new { movieId = "424242", rating = 4 }), HttpStatusCode.NotFound);
        Assert.Equal($"Movie '424242' is not in the catalogue of version {fixture.Published.Version}.", rating.Detail());
        var malformed = await Problems.Expect(await Http.GetAsync("v1/movies/star-wars/similar"), HttpStatusCode.BadRequest);
        Assert.Equal("movieId expects a movie id (a positive integer, e.g. 50), got 'star-wars'.", malformed.Detail());
    }

    [Fact]
    public async Task ARatingIsRecordedAndItsMovieExcludedAtOnce()
    {
        // A user the model does not know (so no other test's answer changes): popular movies, then from the rating.
        const string user = "77777777";
        var before = await Problems.Json(await Http.GetAsync($"v1/users/{user}/recommendations?k=5"));
        Assert.Equal("popular", before.GetProperty("source").GetString());
        var top = before.GetProperty("items")[0].GetProperty("id").GetString()!;

        var recorded = await Problems.Json(await Http.PostAsJsonAsync($"v1/users/{user}/ratings", new { movieId = top, rating = 4.5 }));
        Assert.Equal(user, recorded.GetProperty("user").GetString());
        Assert.Equal(top, recorded.GetProperty("movieId").GetString());
        Assert.Equal(4.5, recorded.GetProperty("rating").GetDouble());

        var after = await Problems.Json(await Http.GetAsync($"v1/users/{user}/recommendations?k=5"));
        Assert.Equal("ratings", after.GetProperty("source").GetString());
        Assert.DoesNotContain(top, after.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetString()));
    }

    [Theory]
    [InlineData("{\"movieId\":\"1000\",\"rating\":7}", "rating", "rating expects a number from 0.5 to 5, got 7.")]
    [InlineData("{\"movieId\":\"1000\"}", "rating", "rating expects a number from 0.5 to 5, got nothing.")]
    [InlineData("{\"rating\":3}", "movieId", "movieId expects a movie id (a positive integer, e.g. 50), got ''.")]
    public async Task ABadRatingIsA400NamingTheField(string body, string parameter, string detail)
    {
        var content = new StringContent(body, System.Text.Encoding.UTF8, "application/json");
        var problem = await Problems.Expect(await Http.PostAsync($"v1/users/{Artifact.Users[2].Id}/ratings", content), HttpStatusCode.BadRequest);
        Assert.Equal(parameter, problem.GetProperty("parameter").GetString());
        Assert.Equal(detail, problem.Detail());
    }

    [Fact]
    public async Task ABodyThatIsNotJsonIsA400SayingWhatToSend()
    {
        var content = new StringContent("rating=5", System.Text.Encoding.UTF8, "application/json");
        var problem = await Problems.Expect(await Http.PostAsync($"v1/users/{Artifact.Users[2].Id}/ratings", content), HttpStatusCode.BadRequest);
        Assert.Equal("Unreadable request body", problem.GetProperty("title").GetString());
        Assert.EndsWith("Send JSON such as {\"movieId\": 50, \"rating\": 5}.", problem.Detail());
    }

    [Fact]
    public async Task VersionsListTheActiveOneWithItsEvaluation()
    {
        var versions = await Problems.Json(await Http.GetAsync("v1/versions"));
        var active = Assert.Single(versions.EnumerateArray(), v => v.GetProperty("status").GetString() == "active");
        Assert.Equal(fixture.Published.Version, active.GetProperty("version").GetString());
        Assert.Equal(257, active.GetProperty("movies").GetInt32());
        Assert.Equal(3, active.GetProperty("candidateShards").GetInt32());

        var only = await Problems.Json(await Http.GetAsync("v1/versions/active"));
        Assert.Equal(fixture.Published.Version, only.GetProperty("version").GetString());
        Assert.Equal(JsonValueKind.Object, only.GetProperty("evaluation").GetProperty("model").ValueKind);
    }

    [Fact]
    public async Task OperatorRoutesAndTheDashboardNeedTheOperatorKey()
    {
        var missing = await Problems.Expect(await Http.PostAsync("v1/versions/rollback", null), HttpStatusCode.Unauthorized);
        Assert.Equal("This operator route needs the operator key (Http:OperatorKey): send it in the X-Api-Key header.", missing.Detail());
        Assert.Contains("X-Api-Key", (await Http.PostAsync("v1/versions/rollback", null)).Headers.WwwAuthenticate.ToString());

        using var asClient = Request(HttpMethod.Post, $"v1/versions/{fixture.Published.Version}/activate", HttpSilo.ClientKey);
        var forbidden = await Problems.Expect(await Http.SendAsync(asClient), HttpStatusCode.Forbidden);
        Assert.Contains("the key sent is a client key", forbidden.Detail());

        using var wrong = Request(HttpMethod.Post, "v1/versions/rollback", "not-the-key-0123456789");
        Assert.Contains("not one of this silo's keys", (await Problems.Expect(await Http.SendAsync(wrong), HttpStatusCode.Unauthorized)).Detail());

        Assert.Equal(HttpStatusCode.Unauthorized, (await Http.GetAsync("dashboard/")).StatusCode);
        using var dashboard = new HttpRequestMessage(HttpMethod.Get, "dashboard/");
        // What a browser sends once asked: Basic, any user name, the key as password.
        dashboard.Headers.Authorization = new("Basic", Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"operator:{HttpSilo.OperatorKey}")));
        var page = await Http.SendAsync(dashboard);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("<html", await page.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task RecommendationRoutesAreOpenOnLoopbackButRefuseAWrongKey()
    {
        Assert.Equal(HttpStatusCode.OK, (await Http.GetAsync("v1/versions")).StatusCode);
        using var wrong = Request(HttpMethod.Get, "v1/versions", "typo-in-the-key-0123456789");
        await Problems.Expect(await Http.SendAsync(wrong), HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task LivenessAnswersAndReadinessSaysWhichVersionIsReady()
    {
        var live = await Http.GetAsync("healthz");
        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        var ready = await Problems.Json(await Http.GetAsync("readyz"));
        Assert.Equal("healthy", ready.GetProperty("status").GetString());
        Assert.Contains(fixture.Published.Version, ready.GetProperty("checks").GetProperty("active-version").GetProperty("description").GetString());
    }

    [Fact]
    public async Task AnUnknownRouteIsAProblemToo()
    {
        await Problems.Expect(await Http.GetAsync("v2/users/1/recommendations"), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task TheOpenApiDocumentDescribesExactlyTheRoutesThatExist()
    {
        var document = await Problems.Json(await Http.GetAsync("openapi/v1.json"));
        var documented = document.GetProperty("paths").EnumerateObject()
            .SelectMany(path => path.Value.EnumerateObject().Select(op => $"{op.Name.ToUpperInvariant()} {path.Name}"))
            .Order().ToArray();

        // The routes the application really maps under /v1, from its endpoint table.
        var mapped = fixture.Silo.App.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText?.StartsWith("/v1", StringComparison.Ordinal) == true)
            .SelectMany(e => e.Metadata.GetMetadata<HttpMethodMetadata>()!.HttpMethods.Select(m => $"{m} {e.RoutePattern.RawText!.TrimEnd('/')}"))
            .Order().ToArray();
        Assert.Equal(mapped, documented);
        Assert.Equal(
        [
            "DELETE /v1/movies/{id}",
            "DELETE /v1/users/{id}",
            "GET /v1/movies/{id}/similar",
            "GET /v1/users/{id}/recommendations",
            "GET /v1/versions",
            "GET /v1/versions/active",
            "POST /v1/ratings",
            "POST /v1/users/{id}/ratings",
            "POST /v1/versions/rollback",
            "POST /v1/versions/{version}/activate",
            "PUT /v1/movies/{id}",
            "PUT /v1/users/{id}",
        ], documented);
    }

    private static HttpRequestMessage Request(HttpMethod method, string path, string key)
    {
        var request = new HttpRequestMessage(method, path);
        request.Headers.Add("X-Api-Key", key);
        return request;
    }

    private static float Dot(float[] a, float[] b)
    {
        double sum = 0;
        for (var d = 0; d < a.Length; d++) sum += (double)a[d] * b[d];
        return (float)sum;
    }
}
