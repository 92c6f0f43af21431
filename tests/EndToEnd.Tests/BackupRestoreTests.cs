using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using MovieRecommender.Artifacts;
using MovieRecommender.EndToEnd.Tests.Users;
using Xunit.Abstractions;

namespace MovieRecommender.EndToEnd.Tests;

/// <summary>
/// Backup and restore through their real doors (the console, against real silo processes): a backup taken while
/// recommendations and ratings flow over HTTP, restored into a cluster whose store is empty (files, and Redis), serves
/// every user their exact top 10 of the restored version (verify, live state counted) and exports every rating
/// acknowledged before the backup began; a backup with one byte changed is refused in one line and changes nothing.
/// </summary>
public sealed class BackupRestoreTests(ITestOutputHelper output)
{
    private const int UserIdBase = 660000;
    private const int PerSecond = 200;

    [Fact]
    public async Task ABackupTakenUnderLoadRestoresIntoAnEmptyFileStoreExactlyAndADamagedOneIsRefused()
    {
        using var temp = new TempFolder();
        var (firstDir, artifactDir, erased) = Artifacts(temp.Path);
        var artifact = ModelArtifact.Load(artifactDir);
        var backup = Path.Combine(temp.Path, "backup");
        var acknowledgedBefore = new ConcurrentBag<(string User, string Movie, int Rating)>();

        var silo = await StartFileSiloAsync(Path.Combine(temp.Path, "store-1"));
        try
        {
            await PopulateAsync(silo, firstDir, artifactDir, erased);
            using var http = new SiloHttp(silo.HttpAddress);
            var raters = artifact.Users.Select(u => u.Id).Where(id => id != erased).ToArray();
            var backupStarted = false;
            var failures = new ConcurrentBag<string>();
            // Not the movie taken down: rating it is refused.
            var rateable = artifact.Items.Skip(1).Select(i => i.Id).ToArray();
            var stop = new CancellationTokenSource();
            int recommended = 0, rated = 0, failed = 0, ratedDuring = 0;
            // 200 recommendations and 200 ratings a second, each kind paced by its own schedule over 32 workers.
            var started = Stopwatch.StartNew();
            long recommendSlots = -1, rateSlots = -1;
            var load = Task.WhenAll(Enumerable.Range(0, 64).Select(async worker =>
            {
                var random = new Random(worker);
                var recommends = worker % 2 == 0;
                while (!stop.IsCancellationRequested)
                {
                    var slot = Interlocked.Increment(ref recommends ? ref recommendSlots : ref rateSlots);
                    var due = TimeSpan.FromSeconds(slot / (double)PerSecond) - started.Elapsed;
                    if (due > TimeSpan.Zero) await Task.Delay(due);
                    if (stop.IsCancellationRequested) break;
                    var user = raters[random.Next(raters.Length)];
                    try
                    {
                        if (recommends)
                        {
                            await http.RecommendAsync(user);
                            Interlocked.Increment(ref recommended);
                        }
                        else
                        {
                            var movie = rateable[random.Next(rateable.Length)];
                            var value = random.Next(1, 6);
                            var wasBefore = !Volatile.Read(ref backupStarted);
                            using var response = await http.RateAsync(user, movie, value);
                            if (response.StatusCode != HttpStatusCode.OK) throw new HttpRequestException($"rate {user} {movie} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
                            if (wasBefore) acknowledgedBefore.Add((user, movie, value));
                            else Interlocked.Increment(ref ratedDuring);
                            Interlocked.Increment(ref rated);
                        }
                    }
                    catch (HttpRequestException e)
                    {
                        failures.Add(e.Message);
                        Interlocked.Increment(ref failed);
                    }
                }
            }));
            await Task.Delay(TimeSpan.FromSeconds(2));
            Volatile.Write(ref backupStarted, true);
            var clock = Stopwatch.StartNew();
            var took = await silo.RunConsoleAsync("backup", "--out", backup);
            var backupSeconds = clock.Elapsed.TotalSeconds;
            await stop.CancelAsync();
            await load;
            Assert.Contains("Backed up to", took.Output);
            Assert.True(failed == 0, $"{failed} requests failed, e.g. {string.Join(" | ", failures.Take(3))}");
            Assert.True(ratedDuring > 0, $"no rating was acknowledged during the {backupSeconds:F1} s backup");
            var seconds = started.Elapsed.TotalSeconds;
            output.WriteLine($"Backup took {backupSeconds:F1} s under load: {recommended / seconds:F0} recommendations/s and {rated / seconds:F0} ratings/s over {seconds:F1} s; {ratedDuring} ratings acknowledged during it.");
            // Paced at 200/s each; a shared 2-core machine running the backup's client beside the silo may fall somewhat short.
            Assert.True(recommended / seconds > 100 && rated / seconds > 100, $"{recommended} recommendations and {rated} ratings in {seconds:F1} s");
            Assert.NotEmpty(acknowledgedBefore);
        }
        finally
        {
            await silo.StopAsync();
            await silo.DisposeAsync();
        }

        var silo2 = await StartFileSiloAsync(Path.Combine(temp.Path, "store-2"));
        try
        {
            // One byte changed in one file: refused in one line naming it, and the cluster stays empty (the real restore below would be refused otherwise).
            var damaged = CopyFolder(backup, Path.Combine(temp.Path, "damaged"));
            var victim = Directory.EnumerateFiles(Path.Combine(damaged, "versions", "0", "candidates")).Order(StringComparer.Ordinal).First();
            var bytes = File.ReadAllBytes(victim);
            bytes[bytes.Length / 2] ^= 0x01;
            File.WriteAllBytes(victim, bytes);
            var refused = await silo2.RunProgramAsync("Client", ["restore", damaged]);
            Assert.Equal(1, refused.ExitCode);
            Assert.Single(refused.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries));
            Assert.Contains("0-0.bin", refused.StandardError);
            Assert.Contains("checksum", refused.StandardError);

            // So is a changed manifest, and an extra file.
            var manifest = CopyFolder(backup, Path.Combine(temp.Path, "manifest"));
            var manifestBytes = File.ReadAllBytes(Path.Combine(manifest, "manifest.json"));
            manifestBytes[manifestBytes.Length / 2] ^= 0x01;
            File.WriteAllBytes(Path.Combine(manifest, "manifest.json"), manifestBytes);
            var refusedManifest = await silo2.RunProgramAsync("Client", ["restore", manifest]);
            Assert.Equal(1, refusedManifest.ExitCode);
            Assert.Contains("manifest.json", refusedManifest.StandardError);

            var extra = CopyFolder(backup, Path.Combine(temp.Path, "extra"));
            File.WriteAllText(Path.Combine(extra, "stray.txt"), "x");
            var refusedExtra = await silo2.RunProgramAsync("Client", ["restore", extra]);
            Assert.Equal(1, refusedExtra.ExitCode);
            Assert.Contains("stray.txt", refusedExtra.StandardError);

            // Users asked for while the store is empty: their grains read nothing, and must read the restored log once asked again.
            using (var http = new SiloHttp(silo2.HttpAddress))
                foreach (var user in artifact.Users.Take(3))
                    using (await http.SendAsync(HttpMethod.Get, $"v1/users/{user.Id}/recommendations?k=10")) { }

            var restored = await silo2.RunConsoleAsync("restore", backup);
            Assert.Contains("Restored", restored.Output);
            var verify = await silo2.RunConsoleAsync("verify", artifactDir, "--k", "10");
            // The artifact's users, and the one the profile made.
        Assert.Contains($"{artifact.Users.Count + 1}/{artifact.Users.Count + 1} users served their exact top 10 (exact)", RunScriptTests.OneLine(verify.Output));
            Assert.Contains("live catalogue's 2 changes", RunScriptTests.OneLine(verify.Output));

            var export = Path.Combine(temp.Path, "ratings.csv");
            await silo2.RunConsoleAsync("export-ratings", "--out", export);
            var exported = File.ReadLines(export).Skip(1).Select(line => string.Join(',', line.Split(',').Take(3))).ToHashSet(StringComparer.Ordinal);
            var missing = acknowledgedBefore.Where(r => !exported.Contains($"{r.User},{r.Movie},{r.Rating.ToString(CultureInfo.InvariantCulture)}")).ToArray();
            Assert.True(missing.Length == 0, $"{missing.Length} of {acknowledgedBefore.Count} ratings acknowledged before the backup are not exported, e.g. {missing.FirstOrDefault()}");

            // Restoring again into the now full cluster is refused in one line.
            var again = await silo2.RunProgramAsync("Client", ["restore", backup]);
            Assert.Equal(1, again.ExitCode);
            Assert.Single(again.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries));
            Assert.Contains("empty", again.StandardError);
        }
        finally
        {
            await silo2.DisposeAsync();
        }
    }

    [Fact]
    public async Task ABackupRestoresIntoAnEmptyRedisClusterExactly()
    {
        using var temp = new TempFolder();
        var (firstDir, artifactDir, erased) = Artifacts(temp.Path);
        var artifact = ModelArtifact.Load(artifactDir);
        var backup = Path.Combine(temp.Path, "backup");
        await using (var silo = await StartFileSiloAsync(Path.Combine(temp.Path, "store")))
        {
            await PopulateAsync(silo, firstDir, artifactDir, erased);
            await silo.RunConsoleAsync("export-ratings", "--out", Path.Combine(temp.Path, "before.csv"));
            await silo.RunConsoleAsync("backup", "--out", backup);
            await silo.StopAsync();
        }

        using var redis = await RedisServer.StartAsync(Path.Combine(temp.Path, "redis"));
        var (clusterArguments, clientSettings) = redis.NewCluster();
        await using var redisSilo = await SiloProcess.StartAsync(Path.Combine(temp.Path, "store-redis"), Ports.Free(), Ports.Free(),
            [.. clusterArguments, .. SiloHttp.Settings, $"--Http:Port={Ports.Free().ToString(CultureInfo.InvariantCulture)}"], withoutInheritedOtel: true);
        var restored = await RunClientAsync(clientSettings, "restore", backup);
        Assert.True(restored.ExitCode == 0, restored.Output);
        var verify = await RunClientAsync(clientSettings, "verify", artifactDir, "--k", "10");
        Assert.True(verify.ExitCode == 0, verify.Output);
        // The artifact's users, and the one the profile made.
        Assert.Contains($"{artifact.Users.Count + 1}/{artifact.Users.Count + 1} users served their exact top 10 (exact)", RunScriptTests.OneLine(verify.Output));
        Assert.Contains("live catalogue's 2 changes", RunScriptTests.OneLine(verify.Output));
        // Every rating of the backup is in the restored log, in the same order.
        var after = Path.Combine(temp.Path, "after.csv");
        var exported = await RunClientAsync(clientSettings, "export-ratings", "--out", after);
        Assert.True(exported.ExitCode == 0, exported.Output);
        Assert.Equal(File.ReadAllLines(Path.Combine(temp.Path, "before.csv")), File.ReadAllLines(after));
        Assert.True(File.ReadAllLines(after).Length > 1);
    }

    /// <summary>Two versions (the second active, the first kept as previous), with towers so that movies can be put; the user to erase.</summary>
    private static (string First, string Active, string Erased) Artifacts(string temp)
    {
        var models = Path.Combine(temp, "models");
        var first = ArtifactWriter.Write(models, TestArtifacts.WithTowers(TestArtifacts.Content(users: 30, items: 200, dim: 8, seed: 501, userIdBase: UserIdBase), seed: 5));
        var second = ArtifactWriter.Write(models, TestArtifacts.WithTowers(TestArtifacts.Content(users: 30, items: 200, dim: 8, seed: 502, userIdBase: UserIdBase), seed: 6));
        return (first, second, ModelArtifact.Load(second).Users[7].Id);
    }

    /// <summary>Both versions published, a few ratings and a profile, a movie put and one taken down, one user erased.</summary>
    private static async Task PopulateAsync(SiloProcess silo, string first, string active, string erased)
    {
        var artifact = ModelArtifact.Load(active);
        await silo.RunConsoleAsync("publish", first);
        await silo.RunConsoleAsync("publish", active);
        using var http = new SiloHttp(silo.HttpAddress);
        foreach (var (user, movie) in new[] { (0, 3), (1, 5), (2, 8), (7, 9) })
            using (var rated = await http.RateAsync(artifact.Users[user].Id, artifact.Items[movie].Id, 4))
                Assert.Equal(HttpStatusCode.OK, rated.StatusCode);
        using (var profile = await http.SendAsync(HttpMethod.Put, "v1/users/777001", new { age = 30, gender = "F" }))
            Assert.Equal(HttpStatusCode.OK, profile.StatusCode);
        using (var put = await http.SendAsync(HttpMethod.Put, "v1/movies/9001", new { title = "Arrival (2016)", genres = new[] { "Sci-Fi", "Drama" }, year = 2016 }, asOperator: true))
            Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        using (var down = await http.SendAsync(HttpMethod.Delete, $"v1/movies/{artifact.Items[0].Id}", asOperator: true))
            Assert.True(down.IsSuccessStatusCode, $"takedown answered {(int)down.StatusCode}");
        await silo.RunConsoleAsync("erase-user", erased);
    }

    private static Task<SiloProcess> StartFileSiloAsync(string store)
    {
        var (siloPort, gatewayPort) = Ports.FreePair();
        return SiloProcess.StartAsync(store, siloPort, gatewayPort, [.. SiloHttp.Settings, $"--Http:Port={Ports.Free().ToString(CultureInfo.InvariantCulture)}"], withoutInheritedOtel: true);
    }

    private static string CopyFolder(string from, string to)
    {
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
        return to;
    }


    private static async Task<ChildResult> RunClientAsync(Dictionary<string, string?> settings, params string[] arguments)
    {
        using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        return await ChildProcess.RunAsync(ChildProcess.DotnetHost(), [RepositoryRoot.ProgramDll("Client"), .. arguments], RepositoryRoot.Path,
            [.. settings.Select(s => new KeyValuePair<string, string>(s.Key.Replace(":", "__", StringComparison.Ordinal), s.Value!))], patience.Token, withoutInheritedOtel: true);
    }
}
