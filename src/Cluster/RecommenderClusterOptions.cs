using System.Net;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using MovieRecommender.ServiceDefaults;

namespace MovieRecommender.Cluster;

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

    /// <summary>
    /// Redis mode, Linux: how long data sent over an Orleans connection may stay unacknowledged before the connection
    /// ends (<c>TCP_USER_TIMEOUT</c>, see <see cref="TcpUserTimeout"/>); zero leaves the kernel's default (minutes).
    /// </summary>
    public TimeSpan TcpUserTimeout { get; set; } = TimeSpan.FromSeconds(5);

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

    /// <summary>The section <c>Cluster</c> of this configuration, with the defaults for what it does not set, checked.</summary>
    /// <exception cref="OptionsValidationException">The first setting that is wrong, by its key (<see cref="RecommenderClusterOptionsValidator"/>).</exception>
    public static RecommenderClusterOptions From(IConfiguration configuration) =>
        ValidatedOptions.Read(configuration, Section, new RecommenderClusterOptionsValidator());

    /// <summary><see cref="Redis"/> parsed; a Redis that is down makes Orleans retry rather than fail at once.</summary>
    public StackExchange.Redis.ConfigurationOptions RedisConfiguration()
    {
        var options = StackExchange.Redis.ConfigurationOptions.Parse(Redis);
        options.AbortOnConnectFail = false;
        return options;
    }

    public IPAddress AdvertisedIPAddress() => IPAddress.Parse(AdvertisedAddress);
}
