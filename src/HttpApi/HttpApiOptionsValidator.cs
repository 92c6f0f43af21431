using System.Net;
using Microsoft.Extensions.Options;

namespace MovieRecommender.HttpApi;

/// <summary>Checks <see cref="HttpApiOptions"/> at start-up; each fault names its key, the value and what it expects.</summary>
public sealed class HttpApiOptionsValidator : IValidateOptions<HttpApiOptions>
{
    /// <summary>Shortest key accepted: a guessable key is no key.</summary>
    public const int MinKeyLength = 16;

    public ValidateOptionsResult Validate(string? name, HttpApiOptions o)
    {
        var faults = new List<string>();
        const string s = HttpApiOptions.Section;
        if (o.Port is < 1 or > 65535) faults.Add($"{s}:Port is {o.Port}: expected a TCP port between 1 and 65535.");
        if (o.Host != "localhost" && !IPAddress.TryParse(o.Host, out _))
            faults.Add($"{s}:Host is '{o.Host}': expected an IP address (127.0.0.1, 0.0.0.0, ::) or localhost.");
        if (o.OperatorKey is { } key && key.Trim().Length < MinKeyLength)
            faults.Add($"{s}:OperatorKey is {key.Trim().Length} characters long: expected at least {MinKeyLength} (e.g. openssl rand -hex 16), or leave it unset to refuse every operator route.");
        for (var i = 0; i < o.ClientKeys.Length; i++)
            if ((o.ClientKeys[i] ?? "").Trim().Length < MinKeyLength)
                faults.Add($"{s}:ClientKeys:{i} is {(o.ClientKeys[i] ?? "").Trim().Length} characters long: expected at least {MinKeyLength}.");
        if (o.ClientKeyRequired && o.ClientKeys.Length == 0 && o.OperatorKey is null)
            faults.Add($"{s}:RequireClientKey is in force ({(o.RequireClientKey is null ? $"{s}:Host {o.Host} is not loopback" : "set to true")}) but no key is configured: set {s}:ClientKeys:0 (or {s}:RequireClientKey=false to serve recommendations to anyone).");
        if (o.RateLimit.PermitsPerSecond < 0)
            faults.Add($"{s}:RateLimit:PermitsPerSecond is {o.RateLimit.PermitsPerSecond}: expected 0 (no limit) or more requests a second.");
        if (o.RateLimit.Burst is < 1)
            faults.Add($"{s}:RateLimit:Burst is {o.RateLimit.Burst}: expected at least 1 request.");
        if (o.ReadinessTimeout <= TimeSpan.Zero || o.ReadinessTimeout > TimeSpan.FromMinutes(1))
            faults.Add($"{s}:ReadinessTimeout is {o.ReadinessTimeout}: expected a duration between 00:00:00.001 and 00:01:00.");
        return faults.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(faults);
    }
}
