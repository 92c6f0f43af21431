using System.Security.Cryptography.X509Certificates;
using MovieRecommender.Cluster;
using static MovieRecommender.Serving.Tests.Hosting.ClusterSettings;

namespace MovieRecommender.Serving.Tests.Hosting;

/// <summary>Cluster:Tls read and checked at start-up by its keys; secrets masked wherever a configuration is shown.</summary>
public sealed class SecretsAndTlsOptionsTests
{
    [Fact]
    public void PasswordsInAConfigurationStringAreMasked()
    {
        Assert.Equal("127.0.0.1:6379,password=***,ssl=true", Secrets.Mask("127.0.0.1:6379,password=s3cret,ssl=true"));
        Assert.Equal("redis:6379,user=app,Password=***", Secrets.Mask("redis:6379,user=app,Password=s3cret"));
        Assert.Equal("error near *** here", Secrets.Mask("error near hunter2 here", ["hunter2"]));
        Assert.Equal("at 127.0.0.1:1,password=*** answered (NOAUTH). Start", Secrets.Mask("at 127.0.0.1:1,password=x answered (NOAUTH). Start"));
        var options = Bound(("Cluster:Mode", "redis"), ("Cluster:Redis", "127.0.0.1:6379,password=s3cret"));
        Assert.Equal("127.0.0.1:6379,password=***", options.RedisForDisplay);
        Assert.Contains("s3cret", options.SecretValues());
    }

    [Fact]
    public void AWrongRedisStringIsToldWithItsPasswordMasked()
    {
        var problem = Problem(Bound(("Cluster:Mode", "redis"), ("Cluster:Redis", "password=s3cret")));
        Assert.NotNull(problem);
        Assert.StartsWith("Cluster:Redis ", problem);
        Assert.DoesNotContain("s3cret", problem);
    }

    [Fact]
    public void TlsIsOffByDefaultAndOnWithACertificatePath()
    {
        Assert.False(Bound().Tls.IsEnabled);
        Assert.True(Bound(("Cluster:Tls:CertificatePath", "/x.pfx")).Tls.IsEnabled);
        Assert.False(Bound(("Cluster:Tls:CertificatePath", "/x.pfx"), ("Cluster:Tls:Enabled", "false")).Tls.IsEnabled);
    }

    [Theory]
    [InlineData("localhost")]
    [InlineData("redis")]
    public void TlsWithoutAnExistingCertificateIsToldByItsKey(string mode)
    {
        var empty = Problem(Bound(("Cluster:Mode", mode), ("Cluster:Tls:Enabled", "true")));
        Assert.StartsWith("Cluster:Tls:CertificatePath is empty", empty);
        var missing = Problem(Bound(("Cluster:Mode", mode), ("Cluster:Tls:CertificatePath", "/nonexistent/cluster.pfx")));
        Assert.Equal("Cluster:Tls:CertificatePath '/nonexistent/cluster.pfx' does not exist: expected the path of this program's certificate (PFX, or PEM with its key).", missing);
        foreach (var problem in new[] { empty!, missing! }) Assert.DoesNotContain('\n', problem);
    }

    [Fact]
    public void MissingKeyOrCaFilesAreToldByTheirKeys()
    {
        using var temp = new TempFolder();
        using var certificate = TestCertificates.SelfSigned("options-test");
        var (pem, _) = TestCertificates.WritePem(certificate, temp.Path, "c");
        Assert.StartsWith("Cluster:Tls:KeyPath '/nonexistent.key' does not exist",
            Problem(Bound(("Cluster:Tls:CertificatePath", pem), ("Cluster:Tls:KeyPath", "/nonexistent.key"))));
        Assert.StartsWith("Cluster:Tls:CaPath '/nonexistent.crt' does not exist",
            Problem(Bound(("Cluster:Tls:CertificatePath", pem), ("Cluster:Tls:CaPath", "/nonexistent.crt"))));
    }

    [Fact]
    public void CertificatesLoadFromPfxAndPemAndAWrongPasswordIsToldWithoutIt()
    {
        using var temp = new TempFolder();
        using var certificate = TestCertificates.SelfSigned("options-test");
        var pfx = TestCertificates.WritePfx(certificate, Path.Combine(temp.Path, "c.pfx"), "right-password");
        var (pem, key) = TestCertificates.WritePem(certificate, temp.Path, "c");

        using var fromPfx = new RecommenderTlsOptions { CertificatePath = pfx, CertificatePassword = "right-password" }.LoadCertificate();
        using var fromPem = new RecommenderTlsOptions { CertificatePath = pem, KeyPath = key }.LoadCertificate();
        Assert.True(fromPfx.HasPrivateKey);
        Assert.True(fromPem.HasPrivateKey);
        Assert.Equal(certificate.Thumbprint, fromPfx.Thumbprint);
        Assert.Equal(certificate.Thumbprint, fromPem.Thumbprint);

        var wrong = Assert.Throws<InvalidOperationException>(() =>
            new RecommenderTlsOptions { CertificatePath = pfx, CertificatePassword = "wrong-password-xyz" }.LoadCertificate());
        Assert.StartsWith($"Cluster:Tls:CertificatePath '{pfx}' cannot be read", wrong.Message);
        Assert.DoesNotContain("wrong-password-xyz", wrong.Message);
        var noKey = Assert.Throws<InvalidOperationException>(() => new RecommenderTlsOptions { CertificatePath = pem }.LoadCertificate());
        Assert.StartsWith("Cluster:Tls:CertificatePath", noKey.Message);
    }

    [Fact]
    public void APeerIsTrustedWhenItsCertificateChainsToTheAnchors()
    {
        using var cluster = TestCertificates.SelfSigned("cluster");
        using var stranger = TestCertificates.SelfSigned("stranger");
        var anchors = new RecommenderTlsOptions().LoadTrustAnchors(cluster);
        using var clusterPublic = X509CertificateLoader.LoadCertificate(cluster.RawData);
        Assert.True(RecommenderTlsOptions.IsTrusted(clusterPublic, anchors));
        Assert.False(RecommenderTlsOptions.IsTrusted(stranger, anchors));
        Assert.False(RecommenderTlsOptions.IsTrusted(null, anchors));
    }
}
