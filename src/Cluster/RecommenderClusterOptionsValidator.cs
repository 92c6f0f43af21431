using System.Net;
using Microsoft.Extensions.Options;

namespace MovieRecommender.Cluster;

/// <summary>
/// Checks <see cref="RecommenderClusterOptions"/>, for silos and clients alike, before either is built (the mode
/// decides how); the message names the first key that is wrong and says what it expects.
/// </summary>
public sealed class RecommenderClusterOptionsValidator : IValidateOptions<RecommenderClusterOptions>
{
    public ValidateOptionsResult Validate(string? name, RecommenderClusterOptions options) =>
        Problem(options) is { } problem ? ValidateOptionsResult.Fail(problem) : ValidateOptionsResult.Success;

    /// <summary>The first setting that is wrong, described by its key; null when every one is fine.</summary>
    private static string? Problem(RecommenderClusterOptions o)
    {
        const string section = RecommenderClusterOptions.Section;
        var mode = o.NormalizedMode;
        if (mode is not (RecommenderClusterOptions.LocalhostMode or RecommenderClusterOptions.RedisMode))
            return $"{section}:Mode '{mode}' is not known: use '{RecommenderClusterOptions.LocalhostMode}' (the default) or '{RecommenderClusterOptions.RedisMode}'.";
        if ((PortProblem($"{section}:SiloPort", o.SiloPort) ?? PortProblem($"{section}:GatewayPort", o.GatewayPort)) is { } port) return port;
        if (o.SiloPort == o.GatewayPort)
            return $"{section}:SiloPort and {section}:GatewayPort are both {o.SiloPort}: the silo needs two different ports.";
        if (o.ResponseTimeout <= TimeSpan.Zero)
            return $"{section}:ResponseTimeout is {o.ResponseTimeout}: expected a positive duration such as 00:00:10.";
        if (o.TcpUserTimeout < TimeSpan.Zero || o.TcpUserTimeout > TimeSpan.FromHours(1))
            return $"{section}:TcpUserTimeout is {o.TcpUserTimeout}: expected 0 (the kernel's default) to one hour, such as 00:00:10.";
        if (o.RebalanceInterval <= TimeSpan.Zero)
            return $"{section}:RebalanceInterval is {o.RebalanceInterval}: expected a positive duration such as 00:00:10.";
        if ((o.Tls ?? new()).Problem() is { } tls) return tls;
        if (!o.IsRedis) return null;
        // The configuration string may carry a password: messages show it masked.
        var redis = o.RedisForDisplay;
        if (string.IsNullOrWhiteSpace(o.Redis))
            return $"{section}:Redis is empty: expected a Redis configuration string such as 127.0.0.1:6379.";
        try
        {
            if (StackExchange.Redis.ConfigurationOptions.Parse(o.Redis).EndPoints.Count == 0)
                return $"{section}:Redis '{redis}' names no endpoint: expected a Redis configuration string such as 127.0.0.1:6379.";
        }
        catch (ArgumentException e)
        {
            return $"{section}:Redis '{redis}' cannot be read ({Secrets.Mask(e.Message, o.SecretValues())}): expected a Redis configuration string such as 127.0.0.1:6379.";
        }
        if (!IPAddress.TryParse(o.AdvertisedAddress, out _))
            return $"{section}:AdvertisedAddress '{o.AdvertisedAddress}' is not an IP address: expected one such as 10.0.0.5 (the address other silos and clients dial).";
        if (string.IsNullOrWhiteSpace(o.ServiceId)) return $"{section}:ServiceId is empty: expected a name, such as movie-recommender.";
        if (string.IsNullOrWhiteSpace(o.ClusterId)) return $"{section}:ClusterId is empty: expected a name, such as movie-recommender.";
        return null;
    }

    private static string? PortProblem(string key, int port) =>
        port is >= IPEndPoint.MinPort + 1 and <= IPEndPoint.MaxPort ? null : $"{key} is {port}: expected a TCP port between 1 and {IPEndPoint.MaxPort}.";
}
