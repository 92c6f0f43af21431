using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using MovieRecommender.Cluster;
using MovieRecommender.Grains.Storage;
using MovieRecommender.HttpApi;
using MovieRecommender.ServiceDefaults;

namespace MovieRecommender.Silo;

/// <summary>
/// The silo's "Silo ready" line: where it serves (gateway, silo port and model store, or the Redis cluster it
/// joined), where HTTP answers, and where its telemetry goes; from the options it was started with.
/// </summary>
public static class SiloDescription
{
    public static string Describe(IServiceProvider services, IConfiguration configuration)
    {
        var telemetry = services.GetRequiredService<IOptions<TelemetryOptions>>().Value;
        var prometheus = telemetry.PrometheusPrefix is { } prefix ? $", metrics {prefix}metrics" : "";
        var otlp = OtlpEndpoints.From(configuration).Any
            ? $", telemetry over OTLP to {configuration["OTEL_EXPORTER_OTLP_ENDPOINT"] ?? "the per-signal endpoints"}" : "";
        return $"{Cluster(services)}, {Http(services)}{prometheus}{otlp}";
    }

    /// <summary>The gateway, silo port and model store, or the Redis cluster this silo joined.</summary>
    public static string Cluster(IServiceProvider services)
    {
        var cluster = services.GetRequiredService<IOptions<RecommenderClusterOptions>>().Value;
        if (cluster.IsRedis)
            return $"cluster mode redis ({cluster.RedisForDisplay}), {cluster.AdvertisedIPAddress()} gateway {cluster.GatewayPort}, silo port {cluster.SiloPort}{Tls(cluster.Tls)}";
        var store = services.GetRequiredService<IOptionsMonitor<FileGrainStorageOptions>>().Get(ModelStorage.ProviderName).RootDirectory;
        return $"gateway localhost:{cluster.GatewayPort}, silo port {cluster.SiloPort}, model store {store}{Tls(cluster.Tls)}";
    }

    /// <summary>Where the API answers, e.g. <c>HTTP http://127.0.0.1:8080 (recommendations open, operator routes need the operator key)</c>.</summary>
    public static string Http(IServiceProvider services)
    {
        var http = services.GetRequiredService<IOptions<HttpApiOptions>>().Value;
        var host = http.Host.Contains(':') ? $"[{http.Host}]" : http.Host;
        var keys = $"recommendations {(http.ClientKeyRequired ? "need a key" : "open")}, operator routes {(http.OperatorKey is null ? "off (no Http:OperatorKey)" : "need the operator key")}";
        return $"HTTP http://{host}:{http.Port} ({keys})";
    }

    // The certificate's file, never its password.
    private static string Tls(RecommenderTlsOptions tls) =>
        tls.IsEnabled ? $", TLS with {tls.CertificatePath}{(string.IsNullOrWhiteSpace(tls.CaPath) ? "" : $" (peers chain to {tls.CaPath})")}" : "";
}
