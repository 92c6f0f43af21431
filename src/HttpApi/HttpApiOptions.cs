namespace MovieRecommender.HttpApi;

/// <summary>
/// The silo's HTTP API (configuration section <c>Http</c>): where it listens, its API keys and its per-client
/// rate limit. Checked at start-up by <see cref="HttpApiOptionsValidator"/>; a bad value stops the silo with a
/// message naming the key.
/// </summary>
public sealed class HttpApiOptions
{
    public const string Section = "Http";

    /// <summary>The address to listen on (<c>Http:Host</c>): loopback by default, <c>0.0.0.0</c> for every interface.</summary>
    public string Host { get; set; } = "127.0.0.1";

    /// <summary>The TCP port (<c>Http:Port</c>); each silo on one machine needs its own.</summary>
    public int Port { get; set; } = 8080;

    /// <summary>The key operator routes (activate, rollback, the dashboard) require; none set: those routes refuse everyone.</summary>
    public string? OperatorKey { get; set; }

    /// <summary>Keys accepted on the recommendation routes when they require one (the operator key is accepted too).</summary>
    public string[] ClientKeys { get; set; } = [];

    /// <summary>
    /// Whether recommendation routes require a client key (<c>Http:RequireClientKey</c>). Unset: only when listening
    /// beyond loopback, so a local silo is open and an exposed one is not.
    /// </summary>
    public bool? RequireClientKey { get; set; }

    /// <summary>The per-client rate limit of the <c>/v1</c> routes (<c>Http:RateLimit</c>).</summary>
    public RateLimitOptions RateLimit { get; set; } = new();

    /// <summary>How long <c>/readyz</c> waits for the registry and for each shard (<c>Http:ReadinessTimeout</c>).</summary>
    public TimeSpan ReadinessTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Mount the Orleans dashboard at <c>/dashboard</c>, behind the operator key (<c>Http:Dashboard</c>).</summary>
    public bool Dashboard { get; set; } = true;

    /// <summary>
    /// The dashboard is mounted only with an operator key: nobody else may open it, and its call filter profiles
    /// every grain call, which a silo nobody can look at should not pay for.
    /// </summary>
    public bool DashboardMounted => Dashboard && !string.IsNullOrEmpty(OperatorKey);

    public bool ListensOnLoopbackOnly =>
        System.Net.IPAddress.TryParse(Host, out var address) ? System.Net.IPAddress.IsLoopback(address) : Host == "localhost";

    /// <summary>Whether recommendation routes require a key: as configured, else only beyond loopback.</summary>
    public bool ClientKeyRequired => RequireClientKey ?? !ListensOnLoopbackOnly;
}

/// <summary>
/// A token bucket per client (its API key, else its address): <see cref="PermitsPerSecond"/> sustained, bursts of
/// <see cref="Burst"/>. The default lets a local load test of several thousand requests a second through.
/// </summary>
public sealed class RateLimitOptions
{
    /// <summary>Requests a second one client may sustain (<c>Http:RateLimit:PermitsPerSecond</c>); 0 turns the limit off.</summary>
    public int PermitsPerSecond { get; set; } = 20_000;

    /// <summary>Requests one client may send at once above the sustained rate (<c>Http:RateLimit:Burst</c>); default: one second's worth.</summary>
    public int? Burst { get; set; }

    public int EffectiveBurst => Burst ?? PermitsPerSecond;
}
