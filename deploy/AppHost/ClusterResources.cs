using System.Globalization;
using Aspire.Hosting.ApplicationModel;

namespace MovieRecommender.AppHost;

/// <summary>
/// The programs of src/ as project resources, configured as scripts/cluster.sh configures them: the <c>Cluster</c>
/// settings by environment (docs/cluster.md#settings), Redis mode on the AppHost's redis-server.
/// </summary>
public static class ClusterResources
{
    /// <summary>A silo on its own ports, ready for Aspire once <c>/healthz</c> answers (<c>/readyz</c> waits for a published model).</summary>
    public static IResourceBuilder<ProjectResource> AddSilo(this IDistributedApplicationBuilder builder, string name, SiloPorts ports,
        IResourceBuilder<ExecutableResource> redis, int redisPort)
    {
        var http = $"http://127.0.0.1:{ports.HttpPort.ToString(CultureInfo.InvariantCulture)}";
        return builder.AddProject<Projects.Silo>(name)
            .InRedisMode(redisPort)
            .WithEnvironment("Cluster__SiloPort", ports.SiloPort.ToString(CultureInfo.InvariantCulture))
            .WithEnvironment("Cluster__GatewayPort", ports.GatewayPort.ToString(CultureInfo.InvariantCulture))
            .WithEnvironment("Http__Host", "127.0.0.1")
            .WithEnvironment("Http__Port", ports.HttpPort.ToString(CultureInfo.InvariantCulture))
            // The silo binds Kestrel itself from Http:Host and Http:Port; Aspire's ASPNETCORE_URLS would only make
            // Kestrel warn that it overrides them.
            .WithEnvironment(context => context.EnvironmentVariables.Remove("ASPNETCORE_URLS"))
            .WithHttpEndpoint(port: ports.HttpPort, targetPort: ports.HttpPort, name: "http", isProxied: false)
            .WithEndpoint(port: ports.SiloPort, targetPort: ports.SiloPort, scheme: "tcp", name: "silo", isProxied: false)
            .WithEndpoint(port: ports.GatewayPort, targetPort: ports.GatewayPort, scheme: "tcp", name: "gateway", isProxied: false)
            .WithUrlForEndpoint("http", url => url.DisplayText = "HTTP API")
            .WithUrl($"{http}/readyz", "readyz")
            .WithUrl($"{http}/v1/users/42/recommendations?k=10", "recommend 42")
            .WithHttpHealthCheck("/healthz", endpointName: "http")
            .WaitFor(redis);
    }

    /// <summary>Cluster mode on the AppHost's Redis, for a silo, the trainer or the console.</summary>
    public static IResourceBuilder<ProjectResource> InRedisMode(this IResourceBuilder<ProjectResource> program, int redisPort) => program
        .WithEnvironment("Cluster__Mode", "redis")
        .WithEnvironment("Cluster__Redis", $"127.0.0.1:{redisPort.ToString(CultureInfo.InvariantCulture)}");
}
