using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MovieRecommender.Artifacts;
using MovieRecommender.Cluster;
using MovieRecommender.Contracts;
using MovieRecommender.Grains;
using MovieRecommender.Operations.Publishing;

namespace MovieRecommender.EndToEnd.Tests;

/// <summary>
/// The live catalogue through its real doors, on two silo processes in cluster mode over a throwaway Redis: a movie
/// put over HTTP is in the next answer from both silos, a taken-down one in none, a malformed put changes nothing,
/// and all of it holds after kill -9 and restart of a silo and after a later publish; export-catalogue writes the
/// movie put, for the next training run; a user the model does not know is served from the profile they give.
/// </summary>
public sealed class LiveCatalogueTests
{
    private const string OperatorKey = "operator-key-0123456789";
    private const string ClientKey = "client-key-0123456789ab";
    private const int K = 10;

    [Fact]
    public async Task PutAndTakenDownMoviesReachEverySiloAtOnceAndSurviveAKillNineAndALaterPublish()
    {
        using var temp = new TempFolder();
        using var redis = await RedisServer.StartAsync(Path.Combine(temp.Path, "redis"));
        var (clusterArguments, clientSettings) = redis.NewCluster();
        string[] siloSettings = [.. clusterArguments, $"--Http:OperatorKey={OperatorKey}", $"--Http:ClientKeys:0={ClientKey}"];
        var artifact = ModelArtifact.Load(ArtifactWriter.Write(Path.Combine(temp.Path, "models"),
            TestArtifacts.WithTowers(TestArtifacts.Content(users: 20, items: 120, dim: 8, seed: 2323), seed: 5)));
        var towers = artifact.Towers!;

        var silos = new List<SiloProcess>();
        try
        {
            silos.AddRange(await Task.WhenAll(Enumerable.Range(0, 2).Select(i =>
                SiloProcess.StartAsync(Path.Combine(temp.Path, $"store-{i}"), Ports.Free(), Ports.Free(), siloSettings))));
            await using var cluster = await ClusterConnection.ConnectAsync(settings: clientSettings);
            await new ArtifactPublisher(cluster.Client).PublishAsync(artifact, new PublishOptions { CandidateShards = 3, UserShards = 2 });

            // The new movie, and the user whose query it matches best (the towers' own embedding, as the silo computes it).
            var description = new MovieRecommender.Grains.MovieDescription("Arrival (2016)", ["Sci-Fi", "Drama"], 2016);
            var vector = towers.EmbedNewMovie(description.Title, description.Genres, description.Year);
            var user = Enumerable.Range(0, artifact.Users.Count).MaxBy(u => Dot(artifact.UserEmbeddings.Row(u), vector));
            var userId = artifact.Users[user].Id;

            // A malformed put is a 400 with one line, and changes nothing.
            foreach (var (body, id) in new (object Body, string Id)[]
            {
                (new { genres = new[] { "Drama" }, year = 2016 }, "9001"),
                (new { title = "X", genres = new[] { "Nope" }, year = 2016 }, "9001"),
                (new { title = "X", genres = new[] { "Drama" }, year = 1700 }, "9001"),
                (new { title = "X", genres = new[] { "Drama" }, year = 2016 }, "abc"),
            })
            {
                using var refused = await Send(silos[0], HttpMethod.Put, $"v1/movies/{id}", body);
                Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
                var detail = (await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString()!;
                Assert.DoesNotContain('\n', detail);
            }
            using (var unknown = await Send(silos[1], HttpMethod.Get, "v1/movies/9001/similar", null))
                Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);

            // Put over HTTP on one silo: in the very next answer from both.
            using (var put = await Send(silos[0], HttpMethod.Put, "v1/movies/9001", new { title = description.Title, genres = description.Genres, year = description.Year }))
                Assert.Equal(HttpStatusCode.OK, put.StatusCode);
            foreach (var silo in silos)
            {
                var answer = await Recommend(silo, userId);
                var served = Assert.Single(answer.Items, i => i.Id == "9001");
                Assert.Equal(Dot(artifact.UserEmbeddings.Row(user), vector), served.Score, 1e-3);
            }

            // Take down the user's best catalogue movie: in no answer from either silo, nor findable as a source.
            var victim = (await Recommend(silos[1], userId)).Items.First(i => i.Id != "9001").Id;
            using (var down = await Send(silos[1], HttpMethod.Delete, $"v1/movies/{victim}", null))
                Assert.Equal(HttpStatusCode.NoContent, down.StatusCode);
            await AssertServing(silos, userId, victim);
            using (var missing = await Send(silos[0], HttpMethod.Delete, "v1/movies/77777", null))
                Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);

            // A user the model does not know, with a profile: served from the query tower's embedding of it, not the popular list.
            using (var profile = await Send(silos[0], HttpMethod.Put, "v1/users/777777", new { age = 30, gender = "F", occupation = "writer", zip = "94110" }))
                Assert.Equal(HttpStatusCode.OK, profile.StatusCode);
            var newUser = towers.EmbedNewUser(30, "F", "writer", "94110")!;
            var bestForNewUser = Enumerable.Range(0, artifact.Items.Count).Where(r => artifact.Items[r].Id != victim)
                .Select(r => Dot(artifact.ItemEmbeddings.Row(r), newUser)).Append(Dot(vector, newUser)).Max();
            foreach (var silo in silos)
            {
                var answer = await Recommend(silo, "777777");
                Assert.Equal("profile", answer.Source);
                Assert.Equal(bestForNewUser, answer.Items[0].Score, 1e-3);
            }
            using (var badProfile = await Send(silos[1], HttpMethod.Put, "v1/users/777778", new { gender = "X" }))
                Assert.Equal(HttpStatusCode.BadRequest, badProfile.StatusCode);

            // export-catalogue writes the put movie for the next training run.
            var exported = Path.Combine(temp.Path, "live.csv");
            using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(120));
            var export = await ChildProcess.RunAsync(ChildProcess.DotnetHost(), [RepositoryRoot.ProgramDll("Client"), "export-catalogue", "--out", exported],
                RepositoryRoot.Path, [.. clientSettings.Select(s => new KeyValuePair<string, string>(s.Key.Replace(":", "__", StringComparison.Ordinal), s.Value!))],
                patience.Token, withoutInheritedOtel: true);
            Assert.True(export.ExitCode == 0, export.Output);
            Assert.Contains("9001,Arrival (2016),Sci-Fi|Drama,2016", File.ReadAllLines(exported));

            // kill -9 of a silo, and back: the put movie and the takedown hold on both.
            await silos[0].KillAsync();
            silos[0] = await SiloProcess.StartAsync(Path.Combine(temp.Path, "store-0b"), Ports.Free(), Ports.Free(), siloSettings);
            await AssertServing(silos, userId, victim, waitForCompleteAnswers: true);

            // A later version: the takedown holds, the put movie is embedded by its own towers.
            var next = ModelArtifact.Load(ArtifactWriter.Write(Path.Combine(temp.Path, "models"),
                TestArtifacts.WithTowers(TestArtifacts.Content(users: 20, items: 120, dim: 8, seed: 2323), seed: 6)));
            await new ArtifactPublisher(cluster.Client).PublishAsync(next, new PublishOptions { CandidateShards = 2, UserShards = 2 });
            await AssertServing(silos, userId, victim);
            // verify's reference counts the live catalogue: every user exact, with the put movie and without the taken-down one.
            var report = await new MovieRecommender.Operations.Verification.ServingVerifier(cluster.Client, next).VerifyAsync(K);
            Assert.True(report.Passed, string.Join("; ", report.Examples));
            Assert.Equal(2, report.LiveChanges);
            var nextVector = next.Towers!.EmbedNewMovie(description.Title, description.Genres, description.Year);
            var nextUser = Enumerable.Range(0, next.Users.Count).MaxBy(u => Dot(next.UserEmbeddings.Row(u), nextVector));
            foreach (var silo in silos)
            {
                var answer = await Recommend(silo, next.Users[nextUser].Id);
                Assert.Equal(next.Manifest.Version, answer.ModelVersion);
                Assert.Equal(Dot(next.UserEmbeddings.Row(nextUser), nextVector), Assert.Single(answer.Items, i => i.Id == "9001").Score, 1e-3);
            }
        }
        finally
        {
            foreach (var silo in silos) await silo.DisposeAsync();
        }
    }

    /// <summary>The taken-down movie is in no answer on either silo (recommendations with K large, similar of a neighbour) and cannot be a source.</summary>
    private static async Task AssertServing(List<SiloProcess> silos, string userId, string takenDown, bool waitForCompleteAnswers = false)
    {
        foreach (var silo in silos)
        {
            var answer = await Recommend(silo, userId, k: 200, waitForComplete: waitForCompleteAnswers);
            Assert.Equal(answer.ShardCount, answer.ShardsAnswered);
            Assert.Contains(answer.Items, i => i.Id == "9001");
            Assert.DoesNotContain(answer.Items, i => i.Id == takenDown);
            using var similar = await Send(silo, HttpMethod.Get, $"v1/movies/{takenDown}/similar", null);
            Assert.Equal(HttpStatusCode.NotFound, similar.StatusCode);
            using var neighbours = await Send(silo, HttpMethod.Get, "v1/movies/9001/similar?k=200", null);
            var json = await neighbours.Content.ReadFromJsonAsync<RecommendationJson>(RecommendationJson.Options);
            Assert.DoesNotContain(json!.Items, i => i.Id == takenDown);
        }
    }

    private static async Task<RecommendationJson> Recommend(SiloProcess silo, string userId, int k = K, bool waitForComplete = false)
    {
        for (var attempt = 0; ; attempt++)
        {
            using var response = await Send(silo, HttpMethod.Get, $"v1/users/{userId}/recommendations?k={k}", null);
            if (response.IsSuccessStatusCode)
            {
                var json = (await response.Content.ReadFromJsonAsync<RecommendationJson>(RecommendationJson.Options))!;
                if (!waitForComplete || json.ShardsAnswered == json.ShardCount || attempt >= 60) return json;
            }
            else if (!waitForComplete || attempt >= 60)
            {
                Assert.Fail($"{silo.HttpAddress} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
            }
            await Task.Delay(500);
        }
    }

    private static async Task<HttpResponseMessage> Send(SiloProcess silo, HttpMethod method, string path, object? body)
    {
        using var http = new HttpClient { BaseAddress = silo.HttpAddress };
        using var request = new HttpRequestMessage(method, path);
        request.Headers.Add("X-Api-Key", method == HttpMethod.Get ? ClientKey : OperatorKey);
        if (body is not null) request.Content = JsonContent.Create(body);
        return await http.SendAsync(request);
    }

    private static float Dot(ReadOnlySpan<float> a, float[] b)
    {
        double sum = 0;
        for (var d = 0; d < b.Length; d++) sum += (double)a[d] * b[d];
        return (float)sum;
    }
}
