using MovieRecommender.Artifacts;
using MovieRecommender.Cluster;
using MovieRecommender.Grains;
using MovieRecommender.Operations.Publishing;
using Xunit.Abstractions;

namespace MovieRecommender.EndToEnd.Tests.Security;

/// <summary>
/// Cluster mode secured: a Redis that requires a password (given in the configuration string), two real silo processes
/// talking TLS to each other and to clients with one self-signed certificate (one silo reads it as a PFX with a password,
/// the other as PEM + key), a client with the certificate publishing and recommending, clients without it or with
/// another one refused with a message that says so, no password in any output or error, and every port on loopback.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class SecureClusterTests(ITestOutputHelper output)
{
    private const int K = 10;

    [Fact]
    public async Task ATlsClusterOnAPasswordProtectedRedisServesOnlyClientsWithTheCertificateAndNeverPrintsASecret()
    {
        using var temp = new TempFolder();
        var redisPassword = $"redis-pw-{Guid.NewGuid():N}";
        var pfxPassword = $"pfx-pw-{Guid.NewGuid():N}";
        using var redis = await RedisServer.StartAsync(Path.Combine(temp.Path, "redis"), redisPassword);
        using var certificate = TestCertificates.SelfSigned("movie-recommender-cluster");
        var pfx = TestCertificates.WritePfx(certificate, Path.Combine(temp.Path, "cluster.pfx"), pfxPassword);
        var (pem, key) = TestCertificates.WritePem(certificate, temp.Path, "cluster");
        using var stranger = TestCertificates.SelfSigned("stranger");
        var strangerPfx = TestCertificates.WritePfx(stranger, Path.Combine(temp.Path, "stranger.pfx"), "stranger-pw");

        var clusterId = $"secure-{Guid.NewGuid():N}";
        // Secrets through the environment, not the command line (which every local user can read in /proc).
        Dictionary<string, string?> SiloEnvironment(params (string Key, string Value)[] tls)
        {
            var environment = new Dictionary<string, string?>
            {
                ["Cluster__Mode"] = "redis", ["Cluster__Redis"] = redis.Configuration, ["Cluster__ClusterId"] = clusterId, ["Cluster__ServiceId"] = clusterId,
                // Two silos starting at once, TLS handshakes and JIT on a shared 2-core CI machine: the cluster's 1 s
                // probe (tuned to declare a killed silo dead fast) once declared a starting silo dead. Nothing here kills one.
                ["Cluster__Membership__ProbeTimeout"] = "00:00:05",
            };
            foreach (var (k, v) in tls) environment[k] = v;
            return environment;
        }
        Dictionary<string, string?> ClientSettings(string? redisConfiguration = null, params (string Key, string Value)[] tls)
        {
            var settings = new Dictionary<string, string?>
            {
                ["Cluster:Mode"] = "redis", ["Cluster:Redis"] = redisConfiguration ?? redis.Configuration, ["Cluster:ClusterId"] = clusterId, ["Cluster:ServiceId"] = clusterId,
            };
            foreach (var (k, v) in tls) settings[k] = v;
            return settings;
        }

        var artifact = ModelArtifact.Load(TestArtifacts.Write(Path.Combine(temp.Path, "models"), users: 20, items: 120, dim: 8, seed: 77));
        var silos = await Task.WhenAll(
            SiloProcess.StartAsync(Path.Combine(temp.Path, "store-1"), environment: SiloEnvironment(
                ("Cluster__Tls__CertificatePath", pfx), ("Cluster__Tls__CertificatePassword", pfxPassword)), name: "silo 1", withoutInheritedOtel: true),
            SiloProcess.StartAsync(Path.Combine(temp.Path, "store-2"), environment: SiloEnvironment(
                ("Cluster__Tls__CertificatePath", pem), ("Cluster__Tls__KeyPath", key)), name: "silo 2", withoutInheritedOtel: true));
        try
        {
            // The client with the cluster's certificate: both silos in the cluster (they talk TLS to each other), a
            // publish spread over both, every user served its exact top K.
            await using (var cluster = await ClusterConnection.ConnectAsync(settings: ClientSettings(null,
                ("Cluster:Tls:CertificatePath", pfx), ("Cluster:Tls:CertificatePassword", pfxPassword))))
            {
                var hosts = await WaitForSilos(cluster, 2);
                Assert.Equal(2, hosts);
                await new ArtifactPublisher(cluster.Client).PublishAsync(artifact, new PublishOptions { CandidateShards = 4, UserShards = 2 });
                for (var row = 0; row < artifact.Users.Count; row++)
                {
                    var served = await cluster.Client.GetGrain<IUserGrain>(artifact.Users[row].Id).Recommend(K);
                    Assert.Equal(artifact.Manifest.Version, served.ModelVersion);
                    Assert.Equal(served.ShardCount, served.ShardsAnswered);
                    Assert.Equal(TestArtifacts.BruteForceTopK(artifact, row, K).Select(e => e.Row), served.Movies.Select(m => m.Row));
                }
            }

            // Without a certificate, or with one the cluster does not trust: refused, and told why.
            var errors = new List<string>();
            var plain = await Assert.ThrowsAsync<ClusterUnavailableException>(() => ClusterConnection.ConnectAsync(settings: ClientSettings()));
            Assert.Contains("requires TLS", plain.Message);
            Assert.Contains("Cluster:Tls:CertificatePath", plain.Message);
            errors.Add(plain.Message);
            var foreign = await Assert.ThrowsAsync<ClusterUnavailableException>(() => ClusterConnection.ConnectAsync(settings: ClientSettings(null,
                ("Cluster:Tls:CertificatePath", strangerPfx), ("Cluster:Tls:CertificatePassword", "stranger-pw"))));
            Assert.Contains("certificate", foreign.Message);
            Assert.Matches("refused this client's certificate|does not chain to", foreign.Message);
            errors.Add(foreign.Message);

            // A wrong Redis password: refused, the string shown masked.
            var wrongPassword = $"wrong-pw-{Guid.NewGuid():N}";
            var wrong = await Assert.ThrowsAsync<ClusterUnavailableException>(() => ClusterConnection.ConnectAsync(settings: ClientSettings(
                $"127.0.0.1:{redis.Port},password={wrongPassword}", ("Cluster:Tls:CertificatePath", pfx), ("Cluster:Tls:CertificatePassword", pfxPassword))));
            Assert.Contains("password=*** answered (", wrong.Message);
            errors.Add(wrong.Message);
            foreach (var error in errors)
            {
                output.WriteLine(error);
                Assert.DoesNotContain(redisPassword, error);
                Assert.DoesNotContain(pfxPassword, error);
                Assert.DoesNotContain(wrongPassword, error);
            }

            foreach (var silo in silos)
            {
                var output = silo.Program.Output;
                Assert.Contains("cluster mode redis (127.0.0.1:" + redis.Port.ToString(System.Globalization.CultureInfo.InvariantCulture) + ",password=***)", output);
                Assert.Contains(", TLS with ", output);
                Assert.DoesNotContain(redisPassword, output);
                Assert.DoesNotContain(pfxPassword, output);
                // Cluster mode's ports, like the embedded default's, on loopback only.
                ListeningSockets.AssertLoopbackOnly(
                    await ListeningSockets.WaitForAsync(silo.ProcessId, [silo.SiloPort, silo.GatewayPort]), silo.Program.Tail());
            }
        }
        finally
        {
            foreach (var silo in silos) await silo.DisposeAsync();
        }
    }

    [Fact]
    public async Task TheEmbeddedDefaultTakesTlsTooAndAMismatchEitherWayIsToldAsSuch()
    {
        using var temp = new TempFolder();
        using var certificate = TestCertificates.SelfSigned("embedded");
        var (pem, key) = TestCertificates.WritePem(certificate, temp.Path, "embedded");
        var tls = new Dictionary<string, string?> { ["Cluster:Tls:CertificatePath"] = pem, ["Cluster:Tls:KeyPath"] = key };
        var (secure, plain) = (SiloProcess.StartAsync(Path.Combine(temp.Path, "secure"), settings: [$"--Cluster:Tls:CertificatePath={pem}", $"--Cluster:Tls:KeyPath={key}"],
            name: "the TLS silo", withoutInheritedOtel: true), SiloProcess.StartAsync(Path.Combine(temp.Path, "plain"), name: "the plain silo", withoutInheritedOtel: true));
        await using var secureSilo = await secure;
        await using var plainSilo = await plain;

        await using (var client = await ClusterConnection.ConnectAsync(gatewayPortOverride: secureSilo.GatewayPort, settings: tls))
            Assert.Null(await client.Client.GetGrain<IModelRegistryGrain>(IModelRegistryGrain.DefaultKey).GetActive());
        var noCertificate = await Assert.ThrowsAsync<ClusterUnavailableException>(() => ClusterConnection.ConnectAsync(gatewayPortOverride: secureSilo.GatewayPort));
        Assert.Contains("requires TLS", noCertificate.Message);
        var noTlsThere = await Assert.ThrowsAsync<ClusterUnavailableException>(() => ClusterConnection.ConnectAsync(gatewayPortOverride: plainSilo.GatewayPort, settings: tls));
        Assert.Contains("does not speak TLS", noTlsThere.Message);
        output.WriteLine(noCertificate.Message);
        output.WriteLine(noTlsThere.Message);
    }

    private static async Task<int> WaitForSilos(ClusterConnection cluster, int count)
    {
        var management = cluster.Client.GetGrain<Orleans.Runtime.IManagementGrain>(0);
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var active = (await management.GetHosts(onlyActive: true)).Count;
            if (active >= count || DateTime.UtcNow > deadline) return active;
            await Task.Delay(500);
        }
    }
}
