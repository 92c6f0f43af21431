using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace MovieRecommender.Cluster;

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
