using System.Globalization;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace MovieRecommender.AppHost;

/// <summary>
/// Redis as an executable resource: Debian's <c>redis-server</c> (scripts/install-redis.sh), not Aspire's Redis container,
/// since these machines have no Docker. It keeps nothing on disk: each start is a new, empty cluster, and the trainer
/// publishes into it.
/// </summary>
public static class RedisServerResource
{
    public const string Program = "redis-server";

    public static IResourceBuilder<ExecutableResource> AddRedisServer(this IDistributedApplicationBuilder builder, string name, int port)
    {
        if (FindOnPath(Program) is null)
            throw new SetupException($"{Program} is not installed: run scripts/install-redis.sh (Debian's redis-server, apt-get), then start the AppHost again.");
        var healthCheck = $"{name}-listens";
        builder.Services.AddHealthChecks().Add(new HealthCheckRegistration(healthCheck, _ => new TcpPortHealthCheck(port), failureStatus: null, tags: null));
        var portText = port.ToString(CultureInfo.InvariantCulture);
        return builder.AddExecutable(name, Program, builder.AppHostDirectory,
                "--bind", "127.0.0.1", "--port", portText, "--save", "", "--appendonly", "no")
            .WithEndpoint(port: port, targetPort: port, scheme: "tcp", name: "tcp", isProxied: false)
            .WithHealthCheck(healthCheck);
    }

    /// <summary>The program's path on PATH, or null.</summary>
    public static string? FindOnPath(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(folder => Path.Combine(folder, program))
            .FirstOrDefault(File.Exists);
}
