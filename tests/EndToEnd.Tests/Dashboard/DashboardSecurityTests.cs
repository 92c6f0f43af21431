using System.Globalization;
using System.Net;
using System.Net.Http.Headers;

namespace MovieRecommender.EndToEnd.Tests.Dashboard;

/// <summary>
/// scripts/dashboard.sh starts the Aspire dashboard secure by default: OTLP intake (HTTP and gRPC) refuses telemetry
/// without the API key, the UI refuses a browser without the token, it listens on loopback only, its secrets are
/// readable by their owner alone, and 'env' fills in only the OTEL variables the caller left unset.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class DashboardSecurityTests
{
    private static readonly MediaTypeHeaderValue Protobuf = new("application/x-protobuf");

    [Fact]
    public async Task OtlpIntakeNeedsTheApiKeyAndTheUiNeedsTheBrowserToken()
    {
        await using var dashboard = await DashboardProcess.StartAsync();
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(20) };

        // OTLP/HTTP: an empty export request is valid protobuf; without the key, or with a wrong one, it is refused.
        foreach (var signal in new[] { "traces", "metrics", "logs" })
        {
            Assert.Equal(HttpStatusCode.Unauthorized, await PostOtlp(http, $"{dashboard.OtlpHttpUrl}/v1/{signal}", apiKey: null));
            Assert.Equal(HttpStatusCode.Unauthorized, await PostOtlp(http, $"{dashboard.OtlpHttpUrl}/v1/{signal}", apiKey: "not-the-key"));
            Assert.Equal(HttpStatusCode.OK, await PostOtlp(http, $"{dashboard.OtlpHttpUrl}/v1/{signal}", dashboard.ApiKey));
        }

        // OTLP/gRPC (what the programs use by default): the same rule over HTTP/2.
        Assert.False(await GrpcExportAccepted(http, dashboard.OtlpGrpcUrl, apiKey: null));
        Assert.False(await GrpcExportAccepted(http, dashboard.OtlpGrpcUrl, apiKey: "not-the-key"));
        Assert.True(await GrpcExportAccepted(http, dashboard.OtlpGrpcUrl, dashboard.ApiKey));

        // The UI: without the token every page sends the browser to the login page; a wrong token does not help.
        var cookies = new CookieContainer();
        using var handler = new HttpClientHandler { AllowAutoRedirect = false, CookieContainer = cookies };
        using var browser = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(20) };
        foreach (var page in new[] { "/traces", "/metrics", "/structuredlogs" })
            AssertRedirectsToLogin(await browser.GetAsync($"{dashboard.UiUrl}{page}"));
        AssertRedirectsToLogin(await browser.GetAsync($"{dashboard.UiUrl}/login?t=not-the-token"));
        Assert.Empty(cookies.GetCookies(new Uri(dashboard.UiUrl)));
        AssertRedirectsToLogin(await browser.GetAsync($"{dashboard.UiUrl}/traces"));

        // The login link the script prints: it sets the authentication cookie, and then the app's pages open.
        var (code, url) = await DashboardProcess.RunScriptAsync(dashboard.StateFolder, "url");
        Assert.Equal(0, code);
        Assert.Matches(@"^http://localhost:\d+/login\?t=[0-9a-f]{32}$", url.Trim());
        Assert.EndsWith($"/login?t={dashboard.BrowserToken}", url.Trim(), StringComparison.Ordinal);
        var login = await browser.GetAsync(dashboard.LoginUrl);
        Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);
        Assert.DoesNotContain("/login", login.Headers.Location?.OriginalString ?? "/login", StringComparison.Ordinal);
        Assert.NotEmpty(cookies.GetCookies(new Uri(dashboard.UiUrl)));
        var traces = await browser.GetAsync($"{dashboard.UiUrl}/traces");
        Assert.Equal(HttpStatusCode.OK, traces.StatusCode);
    }

    [Fact]
    public async Task TheDashboardListensOnLoopbackOnlyKeepsItsSecretsPrivateAndEnvFillsInOnlyWhatIsUnset()
    {
        await using var dashboard = await DashboardProcess.StartAsync();

        // Every port it listens on is bound to 127.0.0.1 (the kernel's own table: no other address is reachable).
        var ports = new[] { dashboard.UiUrl, dashboard.OtlpGrpcUrl, dashboard.OtlpHttpUrl }.Select(u => new Uri(u).Port).ToList();
        var listening = ListeningSockets();
        foreach (var port in ports)
        {
            var bound = listening.Where(s => s.Port == port).ToList();
            Assert.NotEmpty(bound);
            Assert.All(bound, s => Assert.True(IPAddress.IsLoopback(s.Address), $"port {port} is bound to {s.Address}"));
        }

        // The key and the token: 32 hex digits each, files of mode 600 in a folder of mode 700.
        Assert.Matches("^[0-9a-f]{32}$", dashboard.ApiKey);
        Assert.Matches("^[0-9a-f]{32}$", dashboard.BrowserToken);
        Assert.NotEqual(dashboard.ApiKey, dashboard.BrowserToken);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(dashboard.StateFolder, "otlp-api-key")));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(dashboard.StateFolder, "browser-token")));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(dashboard.StateFolder));

        // 'env' with nothing set: the gRPC endpoint, the protocol, the key, a short metric interval.
        var unset = new Dictionary<string, string?>
        {
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = null, ["OTEL_EXPORTER_OTLP_PROTOCOL"] = null, ["OTEL_EXPORTER_OTLP_HEADERS"] = null,
            ["OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"] = null, ["OTEL_EXPORTER_OTLP_METRICS_ENDPOINT"] = null, ["OTEL_EXPORTER_OTLP_LOGS_ENDPOINT"] = null,
            ["OTEL_METRIC_EXPORT_INTERVAL"] = null,
        };
        var exports = await Env(dashboard, unset);
        Assert.Equal(dashboard.OtlpGrpcUrl, exports["OTEL_EXPORTER_OTLP_ENDPOINT"]);
        Assert.Equal("grpc", exports["OTEL_EXPORTER_OTLP_PROTOCOL"]);
        Assert.Equal($"x-otlp-api-key={dashboard.ApiKey}", exports["OTEL_EXPORTER_OTLP_HEADERS"]);
        Assert.Equal("5000", exports["OTEL_METRIC_EXPORT_INTERVAL"]);

        // The caller's protocol wins (and picks the matching port); its own interval and headers are kept.
        exports = await Env(dashboard, new Dictionary<string, string?>(unset)
        {
            ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf", ["OTEL_METRIC_EXPORT_INTERVAL"] = "60000", ["OTEL_EXPORTER_OTLP_HEADERS"] = "tenant=a",
        });
        Assert.Equal(dashboard.OtlpHttpUrl, exports["OTEL_EXPORTER_OTLP_ENDPOINT"]);
        Assert.False(exports.ContainsKey("OTEL_EXPORTER_OTLP_PROTOCOL"));
        Assert.False(exports.ContainsKey("OTEL_METRIC_EXPORT_INTERVAL"));
        Assert.Equal($"tenant=a,x-otlp-api-key={dashboard.ApiKey}", exports["OTEL_EXPORTER_OTLP_HEADERS"]);

        // Another backend chosen by the caller: nothing is changed, and the key is not handed to it.
        var (code, output) = await DashboardProcess.RunScriptAsync(dashboard.StateFolder,
            new Dictionary<string, string?>(unset) { ["OTEL_EXPORTER_OTLP_ENDPOINT"] = "http://collector.example:4317" }, "env");
        Assert.Equal(0, code);
        Assert.DoesNotContain("export ", output, StringComparison.Ordinal);
        Assert.DoesNotContain(dashboard.ApiKey, output, StringComparison.Ordinal);

        // A signal sent elsewhere by its own endpoint does not get the key either; the others do.
        exports = await Env(dashboard, new Dictionary<string, string?>(unset) { ["OTEL_EXPORTER_OTLP_LOGS_ENDPOINT"] = "http://logs.example:4318/v1/logs" });
        Assert.Equal($"x-otlp-api-key={dashboard.ApiKey}", exports["OTEL_EXPORTER_OTLP_TRACES_HEADERS"]);
        Assert.Equal($"x-otlp-api-key={dashboard.ApiKey}", exports["OTEL_EXPORTER_OTLP_METRICS_HEADERS"]);
        Assert.False(exports.ContainsKey("OTEL_EXPORTER_OTLP_LOGS_HEADERS"));
        Assert.False(exports.ContainsKey("OTEL_EXPORTER_OTLP_HEADERS"));
    }

    private static async Task<HttpStatusCode> PostOtlp(HttpClient http, string url, string? apiKey)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent([]) };
        request.Content.Headers.ContentType = Protobuf;
        if (apiKey is not null) request.Headers.Add("x-otlp-api-key", apiKey);
        using var response = await http.SendAsync(request);
        return response.StatusCode;
    }

    /// <summary>An empty TraceService/Export call over h2c; true when the server answers grpc-status 0.</summary>
    private static async Task<bool> GrpcExportAccepted(HttpClient http, string baseUrl, string? apiKey)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"{baseUrl}/opentelemetry.proto.collector.trace.v1.TraceService/Export")
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = new ByteArrayContent(new byte[5]), // one gRPC frame: uncompressed, length 0 (an empty request)
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/grpc");
        request.Headers.TryAddWithoutValidation("te", "trailers");
        if (apiKey is not null) request.Headers.Add("x-otlp-api-key", apiKey);
        using var response = await http.SendAsync(request);
        await response.Content.ReadAsByteArrayAsync();
        if (response.StatusCode != HttpStatusCode.OK) return false;
        var status = response.TrailingHeaders.TryGetValues("grpc-status", out var trailer) ? trailer.First()
            : response.Headers.TryGetValues("grpc-status", out var header) ? header.First() : null;
        return status == "0";
    }

    private static void AssertRedirectsToLogin(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Contains("/login", response.Headers.Location?.OriginalString ?? "", StringComparison.Ordinal);
    }

    private static async Task<Dictionary<string, string>> Env(DashboardProcess dashboard, IReadOnlyDictionary<string, string?> environment)
    {
        var (code, output) = await DashboardProcess.RunScriptAsync(dashboard.StateFolder, environment, "env");
        Assert.Equal(0, code);
        var exports = new Dictionary<string, string>();
        foreach (var line in output.Split('\n').Select(l => l.Trim()).Where(l => l.StartsWith("export ", StringComparison.Ordinal)))
        {
            var assignment = line["export ".Length..];
            var equals = assignment.IndexOf('=', StringComparison.Ordinal);
            exports[assignment[..equals]] = assignment[(equals + 1)..].Trim('\'');
        }
        return exports;
    }

    /// <summary>TCP sockets in LISTEN state, from /proc/net/tcp and tcp6.</summary>
    private static List<(IPAddress Address, int Port)> ListeningSockets()
    {
        var sockets = new List<(IPAddress, int)>();
        foreach (var file in new[] { "/proc/net/tcp", "/proc/net/tcp6" }.Where(File.Exists))
        {
            foreach (var line in File.ReadLines(file).Skip(1))
            {
                var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (fields.Length < 4 || fields[3] != "0A") continue; // 0A = LISTEN
                var (hex, port) = (fields[1].Split(':')[0], int.Parse(fields[1].Split(':')[1], NumberStyles.HexNumber, CultureInfo.InvariantCulture));
                var bytes = Convert.FromHexString(hex);
                // The kernel prints each 32-bit word in host (little-endian) order.
                for (var word = 0; word < bytes.Length; word += 4) Array.Reverse(bytes, word, 4);
                sockets.Add((new IPAddress(bytes), port));
            }
        }
        return sockets;
    }
}
