using Microsoft.Extensions.Options;

namespace MovieRecommender.Grains.Hosting;

/// <summary>How long a user grain stays active with no request (configuration section <c>Serving:Users</c>).</summary>
/// <remarks>
/// Every user of a large audience activates a grain (about 2 KB with Orleans' own bookkeeping), and Orleans keeps an
/// idle one 15 minutes by default: at 3,000 new users a second that is millions of activations, most never asked
/// again. Idle 10 s, a silo holds about 10 s x the rate of new users: a browsing session stays warm, and a user who
/// comes back later pays one activation (two grain calls) again. The grain deactivates itself (see UserGrain);
/// Orleans' collector, at <see cref="CollectionAge"/>, only backs it up.
/// </remarks>
public sealed class UserGrainOptions
{
    public const string Section = "Serving:Users";

    /// <summary>Idle time after which a user grain deactivates itself.</summary>
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Orleans' collection age for user grains: well past the idle timeout, so that the grains leave one by one first.</summary>
    public TimeSpan CollectionAge => IdleTimeout * 4 > TimeSpan.FromMinutes(2) ? IdleTimeout * 4 : TimeSpan.FromMinutes(2);
}

/// <summary>Checks <see cref="UserGrainOptions"/> when the silo starts; the fault names its key.</summary>
public sealed class UserGrainOptionsValidator : IValidateOptions<UserGrainOptions>
{
    public ValidateOptionsResult Validate(string? name, UserGrainOptions o) => o.IdleTimeout >= TimeSpan.FromSeconds(1)
        ? ValidateOptionsResult.Success
        : ValidateOptionsResult.Fail($"{UserGrainOptions.Section}:IdleTimeout is {o.IdleTimeout}: expected at least one second, such as 00:00:30.");
}
