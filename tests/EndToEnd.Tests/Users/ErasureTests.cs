using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using MovieRecommender.Artifacts;

namespace MovieRecommender.EndToEnd.Tests.Users;

/// <summary>
/// The right to erasure through its real doors (HTTP with the operator key, and the console) on a real silo process
/// with the file store: an erased user is answered as one the model does not know, <c>export-ratings</c> and every
/// file of the store are without them, and so it stays after a restart and after publishing a version trained
/// before the erasure. Erasing a user the cluster keeps nothing of is a 404 (exit 1) in one line.
/// </summary>
public sealed class ErasureTests
{
    // Ids no other number in the store contains, so that a file holding one is found by its bytes.
    private const int UserIdBase = 770000;
    private const string Stranger = "880001";

    [Fact]
    public async Task AnErasedUserIsUnknownEverywhereAndStaysSoAfterARestartAndAnOlderVersionsPublish()
    {
        using var temp = new TempFolder();
        var models = Path.Combine(temp.Path, "models");
        var first = ArtifactWriter.Write(models, TestArtifacts.Content(users: 30, items: 200, dim: 8, seed: 91, userIdBase: UserIdBase));
        // Trained before the erasure, published after it.
        var older = ArtifactWriter.Write(models, TestArtifacts.Content(users: 30, items: 200, dim: 8, seed: 92, userIdBase: UserIdBase));
        var artifact = ModelArtifact.Load(first);
        var store = Path.Combine(temp.Path, "store");
        var (siloPort, gatewayPort) = Ports.FreePair();
        string[] settings = [.. SiloHttp.Settings, $"--Http:Port={Ports.Free().ToString(CultureInfo.InvariantCulture)}"];
        var silo = await SiloProcess.StartAsync(store, siloPort, gatewayPort, settings, withoutInheritedOtel: true);
        try
        {
            await silo.RunConsoleAsync("publish", first);
            var rater = artifact.Users[4].Id;
            var quiet = artifact.Users[5].Id;
            using (var http = new SiloHttp(silo.HttpAddress))
            {
                foreach (var movie in artifact.Items.Where(i => !artifact.Users[4].Seen.Contains(i.Id)).Take(3))
                    using (var rated = await http.RateAsync(rater, movie.Id, 4))
                        Assert.Equal(HttpStatusCode.OK, rated.StatusCode);
                using (var profile = await http.SendAsync(HttpMethod.Put, $"v1/users/{rater}", new { age = 30, gender = "F" }))
                    Assert.Equal(HttpStatusCode.OK, profile.StatusCode);
                Assert.Equal("model", (await http.RecommendAsync(rater)).Source);
                Assert.NotEmpty(StoreFilesContaining(store, rater));

                // Over HTTP, with the operator key only.
                using (var asClient = await http.SendAsync(HttpMethod.Delete, $"v1/users/{rater}"))
                    Assert.Equal(HttpStatusCode.Forbidden, asClient.StatusCode);
                using (var erased = await http.SendAsync(HttpMethod.Delete, $"v1/users/{rater}", asOperator: true))
                    Assert.Equal(HttpStatusCode.NoContent, erased.StatusCode);
                // With the console, a user with no rating: their row is the only thing kept of them.
                var console = await silo.RunConsoleAsync("erase-user", quiet);
                Assert.Contains($"Erased user {quiet}", console.Output);

                await AssertErased(silo, http, store, temp.Path, rater, quiet);

                // A user the cluster keeps nothing of: 404 in one line, and exit 1 in one line.
                using (var unknown = await http.SendAsync(HttpMethod.Delete, $"v1/users/{Stranger}", asOperator: true))
                {
                    Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
                    var detail = (await unknown.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString()!;
                    Assert.Contains(Stranger, detail);
                    Assert.DoesNotContain('\n', detail);
                }
            }
            var refused = await silo.RunProgramAsync("Client", ["erase-user", Stranger]);
            Assert.Equal(1, refused.ExitCode);
            Assert.Single(refused.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries));
            Assert.Contains(Stranger, refused.StandardError);

            // After a restart, and after publishing a version trained before the erasure.
            await silo.StopAsync();
            await silo.DisposeAsync();
            silo = await SiloProcess.StartAsync(store, siloPort, gatewayPort, settings, withoutInheritedOtel: true);
            using (var http = new SiloHttp(silo.HttpAddress))
                await AssertErased(silo, http, store, temp.Path, rater, quiet);
            await silo.RunConsoleAsync("publish", older);
            using (var http = new SiloHttp(silo.HttpAddress))
            {
                Assert.Equal(ModelArtifact.Load(older).Manifest.Version, (await http.RecommendAsync(artifact.Users[0].Id)).ModelVersion);
                await AssertErased(silo, http, store, temp.Path, rater, quiet);
            }
        }
        finally
        {
            await silo.DisposeAsync();
        }
    }

    /// <summary>Both users answered as the stranger is, in no exported rating, in no file of the store but the erasure record.</summary>
    private static async Task AssertErased(SiloProcess silo, SiloHttp http, string store, string temp, params string[] users)
    {
        var stranger = await http.RecommendAsync(Stranger);
        Assert.Equal("popular", stranger.Source);
        foreach (var user in users)
        {
            var answer = await http.RecommendAsync(user);
            Assert.Equal(stranger.Source, answer.Source);
            Assert.Equal(stranger.Items.Select(i => i.Id), answer.Items.Select(i => i.Id));
            Assert.DoesNotContain(StoreFilesContaining(store, user), path => !path.Contains($"{Path.DirectorySeparatorChar}erasures{Path.DirectorySeparatorChar}", StringComparison.Ordinal));
        }
        var export = Path.Combine(temp, "ratings.csv");
        await silo.RunConsoleAsync("export-ratings", "--out", export);
        Assert.DoesNotContain(File.ReadLines(export), line => users.Any(user => line.StartsWith(user + ",", StringComparison.Ordinal)));
    }

    /// <summary>The store's files whose bytes hold the id (Orleans' binary format writes strings as UTF-8).</summary>
    private static string[] StoreFilesContaining(string store, string id)
    {
        var needle = Encoding.UTF8.GetBytes(id);
        return [.. Directory.EnumerateFiles(store, "*", SearchOption.AllDirectories).Where(path => File.ReadAllBytes(path).AsSpan().IndexOf(needle) >= 0)];
    }
}
