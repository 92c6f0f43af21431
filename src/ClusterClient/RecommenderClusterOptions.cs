using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Configuration;

namespace MovieRecommender.ClusterClient;

/// <summary>
/// How silos find each other and how programs outside the cluster find a silo: configuration section
/// <c>Cluster</c>, read by the silo (<c>AddMovieRecommender</c>) and by the client and trainer
/// (<see cref="ClusterConnection"/>) alike, so both sides share one set of keys and defaults.
/// <list type="bullet">
/// <item><c>Cluster:Mode=localhost</c> (the default): the embedded default, one silo, localhost clustering.</item>
/// <item><c>Cluster:Mode=redis</c>: membership (and, on silos, grain state) in the Redis at <c>Cluster:Redis</c>.</item>
/// </list>
/// Failure detection is tuned under <c>Cluster:Membership</c>, bound by silos onto Orleans'
/// <c>ClusterMembershipOptions</c> (e.g. <c>Cluster:Membership:ProbeTimeout=00:00:02</c>); TLS between silos and
/// from clients to gateways under <c>Cluster:Tls</c> (<see cref="RecommenderTlsOptions"/>).
/// </summary>
public sealed class RecommenderClusterOptions
{
    public const string Section = "Cluster";
    public const string LocalhostMode = "localhost";
    public const string RedisMode = "redis";

    /// <summary><c>localhost</c> (the default) or <c>redis</c>, in any case.</summary>
    public string Mode { get; set; } = LocalhostMode;

    /// <summary>Redis mode: a StackExchange.Redis configuration string.</summary>
    public string Redis { get; set; } = "127.0.0.1:6379";

    /// <summary>Redis mode: the IP address other silos and clients dial.</summary>
    public string AdvertisedAddress { get; set; } = "127.0.0.1";

    /// <summary>Redis mode: listen on every interface rather than only where we advertise.</summary>
    public bool ListenOnAnyAddress { get; set; }

    public int SiloPort { get; set; } = 11111;

    public int GatewayPort { get; set; } = 30000;

    /// <summary>Redis mode: Orleans' service id.</summary>
    public string ServiceId { get; set; } = "movie-recommender";

    /// <summary>Redis mode: Orleans' cluster id.</summary>
    public string ClusterId { get; set; } = "movie-recommender";

    /// <summary>Redis mode: how long a grain call may take (silos and clients).</summary>
    public TimeSpan ResponseTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Redis mode: how often each shard checks whether it now belongs on another silo.</summary>
    public TimeSpan RebalanceInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>TLS between silos and from clients to gateways, with mutual authentication (section <c>Cluster:Tls</c>).</summary>
    public RecommenderTlsOptions Tls { get; set; } = new();

    /// <summary><see cref="Redis"/> with its password masked, for messages and logs.</summary>
    public string RedisForDisplay => Secrets.Mask(Redis, SecretValues());

    /// <summary>The secret values of these options (the Redis password, the certificate's password), to mask in any text shown.</summary>
    public IReadOnlyList<string> SecretValues()
    {
        var secrets = new List<string>();
        try
        {
            if (!string.IsNullOrWhiteSpace(Redis) && StackExchange.Redis.ConfigurationOptions.Parse(Redis).Password is { Length: > 0 } password)
                secrets.Add(password);
        }
        catch (ArgumentException)
        {
            // An unreadable string is masked by its password= key alone.
        }
        if (!string.IsNullOrEmpty(Tls.CertificatePassword)) secrets.Add(Tls.CertificatePassword);
        return secrets;
    }

    /// <summary><see cref="Mode"/> trimmed and in lower case.</summary>
    public string NormalizedMode => (Mode ?? "").Trim().ToLowerInvariant();

    public bool IsRedis => NormalizedMode == RedisMode;

    /// <summary>The section <c>Cluster</c> of this configuration, with the defaults for what it does not set.</summary>
    public static RecommenderClusterOptions From(IConfiguration configuration) =>
        configuration.GetSection(Section).Get<RecommenderClusterOptions>() ?? new();

    /// <summary><see cref="Redis"/> parsed; a Redis that is down makes Orleans retry rather than fail at once.</summary>
    public StackExchange.Redis.ConfigurationOptions RedisConfiguration()
    {
        var options = StackExchange.Redis.ConfigurationOptions.Parse(Redis);
        options.AbortOnConnectFail = false;
        return options;
    }

    public IPAddress AdvertisedIPAddress() => IPAddress.Parse(AdvertisedAddress);
}

/// <summary>
/// TLS between silos and from clients to gateways (Orleans' TLS connection support), section <c>Cluster:Tls</c>, the
/// same on silos and clients. Both sides present a certificate and require the other's (mutual authentication): a
/// peer is accepted when its certificate chains to <see cref="CaPath"/>'s certificates or, without one, to this
/// program's own certificate (every silo and client sharing one self-signed certificate). Host names are not
/// checked (silos dial IP addresses); revocation is not checked.
/// </summary>
public sealed class RecommenderTlsOptions
{
    /// <summary>On when true; off when false; unset: on exactly when <see cref="CertificatePath"/> is set.</summary>
    public bool? Enabled { get; set; }

    /// <summary>The certificate with its private key: a PFX/PKCS#12 file, or a PEM file (the key in it or in <see cref="KeyPath"/>).</summary>
    public string? CertificatePath { get; set; }

    /// <summary>PEM only: the private key's file, when not in <see cref="CertificatePath"/>.</summary>
    public string? KeyPath { get; set; }

    /// <summary>The PFX's password, or the encrypted PEM key's. A secret: never printed.</summary>
    public string? CertificatePassword { get; set; }

    /// <summary>The CA certificate(s), PEM or DER, a peer's certificate must chain to; default: this program's certificate.</summary>
    public string? CaPath { get; set; }

    public bool IsEnabled => Enabled ?? !string.IsNullOrWhiteSpace(CertificatePath);

    /// <summary>The first TLS setting that is wrong, by its key; null when TLS is off or every one is fine. Reads no file but checks they exist.</summary>
    public string? Problem()
    {
        const string key = RecommenderClusterOptions.Section + ":Tls";
        if (!IsEnabled) return null;
        if (string.IsNullOrWhiteSpace(CertificatePath))
            return $"{key}:CertificatePath is empty while {key}:Enabled is true: expected the path of this program's certificate (PFX, or PEM with its key).";
        if (!File.Exists(CertificatePath))
            return $"{key}:CertificatePath '{CertificatePath}' does not exist: expected the path of this program's certificate (PFX, or PEM with its key).";
        if (!string.IsNullOrWhiteSpace(KeyPath) && !File.Exists(KeyPath))
            return $"{key}:KeyPath '{KeyPath}' does not exist: expected the path of the PEM private key of {key}:CertificatePath.";
        if (!string.IsNullOrWhiteSpace(CaPath) && !File.Exists(CaPath))
            return $"{key}:CaPath '{CaPath}' does not exist: expected the path of the CA certificate(s) (PEM or DER) peers' certificates must chain to.";
        return null;
    }

    /// <summary>This program's certificate with its private key.</summary>
    /// <exception cref="InvalidOperationException">The file cannot be read; the message names the key (never the password).</exception>
    public X509Certificate2 LoadCertificate()
    {
        const string key = RecommenderClusterOptions.Section + ":Tls:CertificatePath";
        var path = CertificatePath!;
        X509Certificate2 certificate;
        try
        {
            var text = File.ReadAllText(path);
            if (text.Contains("-----BEGIN CERTIFICATE-----", StringComparison.Ordinal))
            {
                var keyPath = string.IsNullOrWhiteSpace(KeyPath) ? path : KeyPath;
                using var pem = string.IsNullOrEmpty(CertificatePassword)
                    ? X509Certificate2.CreateFromPemFile(path, keyPath)
                    : X509Certificate2.CreateFromEncryptedPemFile(path, CertificatePassword, keyPath);
                // SslStream wants a key it can use for the server side too: a PKCS#12 round trip gives one on every platform.
                certificate = X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), null);
            }
            else
            {
                certificate = X509CertificateLoader.LoadPkcs12FromFile(path, CertificatePassword);
            }
        }
        catch (Exception e) when (e is CryptographicException or IOException or UnauthorizedAccessException or ArgumentException)
        {
            throw new InvalidOperationException($"{key} '{path}' cannot be read ({Secrets.Mask(e.Message, [CertificatePassword ?? ""])}): expected a PFX with {RecommenderClusterOptions.Section}:Tls:CertificatePassword, or a PEM certificate with its private key.", e);
        }
        if (!certificate.HasPrivateKey)
        {
            certificate.Dispose();
            throw new InvalidOperationException($"{key} '{path}' holds no private key: expected a PFX with its key, or a PEM certificate with its key (in the file or {RecommenderClusterOptions.Section}:Tls:KeyPath).");
        }
        return certificate;
    }

    /// <summary>The certificates a peer's certificate must chain to: <see cref="CaPath"/>'s, or <paramref name="own"/> (without its key).</summary>
    public X509Certificate2Collection LoadTrustAnchors(X509Certificate2 own)
    {
        var anchors = new X509Certificate2Collection();
        if (string.IsNullOrWhiteSpace(CaPath))
        {
            anchors.Add(X509CertificateLoader.LoadCertificate(own.RawData));
            return anchors;
        }
        try
        {
            var text = File.ReadAllText(CaPath);
            if (text.Contains("-----BEGIN CERTIFICATE-----", StringComparison.Ordinal)) anchors.ImportFromPem(text);
            else anchors.Add(X509CertificateLoader.LoadCertificateFromFile(CaPath));
        }
        catch (Exception e) when (e is CryptographicException or IOException or UnauthorizedAccessException)
        {
            throw new InvalidOperationException($"{RecommenderClusterOptions.Section}:Tls:CaPath '{CaPath}' cannot be read ({e.Message}): expected CA certificate(s) in PEM or DER.", e);
        }
        if (anchors.Count == 0)
            throw new InvalidOperationException($"{RecommenderClusterOptions.Section}:Tls:CaPath '{CaPath}' holds no certificate: expected CA certificate(s) in PEM or DER.");
        return anchors;
    }

    /// <summary>Orleans' TLS options for this certificate: both sides require the other's certificate and check it chains to the anchors.</summary>
    public void Configure(Orleans.Connections.Security.TlsOptions tls, X509Certificate2 certificate)
    {
        var anchors = LoadTrustAnchors(certificate);
        tls.LocalCertificate = certificate;
        tls.RemoteCertificateMode = Orleans.Connections.Security.RemoteCertificateMode.RequireCertificate;
        tls.ClientCertificateMode = Orleans.Connections.Security.RemoteCertificateMode.RequireCertificate;
        tls.RemoteCertificateValidation = (remote, _, _) => IsTrusted(remote, anchors);
    }

    /// <summary>Whether <paramref name="remote"/> chains to one of <paramref name="anchors"/> (custom root trust; names and revocation not checked).</summary>
    public static bool IsTrusted(X509Certificate2? remote, X509Certificate2Collection anchors)
    {
        if (remote is null) return false;
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(anchors);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        try
        {
            return chain.Build(remote);
        }
        finally
        {
            foreach (var element in chain.ChainElements) element.Certificate.Dispose();
        }
    }
}

/// <summary>Masks secrets in text shown to people: every <c>password=...</c> of a connection string, and any known secret value.</summary>
public static partial class Secrets
{
    public const string Placeholder = "***";

    public static string Mask(string? text, IEnumerable<string>? values = null)
    {
        if (string.IsNullOrEmpty(text)) return text ?? "";
        var masked = PasswordKey().Replace(text, m => $"{m.Groups[1].Value}={Placeholder}");
        foreach (var value in values ?? [])
            if (value.Length > 0) masked = masked.Replace(value, Placeholder, StringComparison.Ordinal);
        return masked;
    }

    // StackExchange.Redis' password=, and the like in any other connection string (pwd=, sslpassword=...).
    [GeneratedRegex(@"\b((?:ssl)?password|pwd)\s*=[^,;\s]*", RegexOptions.IgnoreCase)]
    private static partial Regex PasswordKey();
}
