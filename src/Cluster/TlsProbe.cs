namespace MovieRecommender.Cluster;

/// <summary>
/// Our own TLS handshake with a gateway, to explain why an Orleans client could not connect: the gateway wants TLS and
/// this client has none, this client wants TLS and the gateway has none, the gateway's certificate is not trusted
/// here, or the gateway refused this client's certificate.
/// </summary>
internal static class TlsProbe
{
    private const string Key = RecommenderClusterOptions.Section + ":Tls";

    public static async Task<string?> DiagnoseAsync(System.Net.IPEndPoint gateway, RecommenderTlsOptions tls, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(5));
        using var tcp = new System.Net.Sockets.TcpClient();
        await tcp.ConnectAsync(gateway, timeout.Token);
        System.Security.Cryptography.X509Certificates.X509Certificate2? mine = tls.IsEnabled ? tls.LoadCertificate() : null;
        System.Security.Cryptography.X509Certificates.X509Certificate2Collection? anchors = mine is null ? null : tls.LoadTrustAnchors(mine);
        string? serverSubject = null;
        var serverTrusted = false;
        using var ssl = new System.Net.Security.SslStream(tcp.GetStream(), leaveInnerStreamOpen: false, (_, certificate, _, _) =>
        {
            if (certificate is null) return false;
            using var remote = System.Security.Cryptography.X509Certificates.X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
            serverSubject = remote.Subject;
            serverTrusted = anchors is not null && RecommenderTlsOptions.IsTrusted(remote, anchors);
            return mine is null || serverTrusted;
        });
        try
        {
            var options = new System.Net.Security.SslClientAuthenticationOptions { TargetHost = gateway.Address.ToString() };
            if (mine is not null) options.ClientCertificates = [mine];
            await ssl.AuthenticateAsClientAsync(options, timeout.Token);
        }
        catch (Exception e) when (e is System.Security.Authentication.AuthenticationException or IOException)
        {
            if (serverSubject is null)
                return mine is null ? null
                    : $"The gateway at {gateway} does not speak TLS, but {Key} is on here ({tls.CertificatePath}): turn TLS on for the cluster too, or off here.";
            if (mine is null)
                return $"The gateway at {gateway} requires TLS (it presented '{serverSubject}') and this client has no certificate: set {Key}:CertificatePath to a certificate the cluster trusts.";
            if (!serverTrusted)
                return $"The gateway at {gateway} presented '{serverSubject}', which does not chain to {(string.IsNullOrWhiteSpace(tls.CaPath) ? $"this client's certificate ({Key}:CertificatePath)" : $"{Key}:CaPath")}: use the cluster's certificate or CA.";
            return $"The gateway at {gateway} refused this client's certificate '{mine.Subject}' ({tls.CertificatePath}): use a certificate the cluster trusts.";
        }
        if (mine is null)
            return $"The gateway at {gateway} requires TLS (it presented '{serverSubject}') and this client has no certificate: set {Key}:CertificatePath to a certificate the cluster trusts.";
        // TLS 1.3: the server checks our certificate after our side of the handshake; a refusal closes the connection.
        try
        {
            using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            wait.CancelAfter(TimeSpan.FromSeconds(1));
            var buffer = new byte[1];
            if (await ssl.ReadAsync(buffer, wait.Token) == 0)
                return $"The gateway at {gateway} refused this client's certificate '{mine.Subject}' ({tls.CertificatePath}): use a certificate the cluster trusts.";
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return null; // still open: the certificate was accepted, TLS is not the problem
        }
        catch (Exception e) when (e is System.Security.Authentication.AuthenticationException or IOException)
        {
            return $"The gateway at {gateway} refused this client's certificate '{mine.Subject}' ({tls.CertificatePath}): use a certificate the cluster trusts.";
        }
        return null;
    }
}
