using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using MovieRecommender.HttpApi.Security;

namespace MovieRecommender.HttpApi.RateLimiting;

/// <summary>
/// The per-client limit of the <c>/v1</c> routes with ASP.NET Core's own rate limiter: one token bucket per client,
/// the client being its API key when it sends one, else its address. Over the limit: 429, <c>Retry-After</c> in
/// seconds, and a problem saying the limit and the key that sets it.
/// </summary>
public static class ClientRateLimit
{
    public const string Policy = "per-client";

    public static void Configure(RateLimiterOptions limiter, RateLimitOptions limit)
    {
        limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
        limiter.AddPolicy(Policy, context => limit.PermitsPerSecond == 0
            ? RateLimitPartition.GetNoLimiter("unlimited")
            : RateLimitPartition.GetTokenBucketLimiter(ClientOf(context), _ => Bucket(limit)));
        limiter.OnRejected = async (rejected, _) =>
        {
            var seconds = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)) : 1;
            rejected.HttpContext.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
            await ApiProblems.Write(rejected.HttpContext, StatusCodes.Status429TooManyRequests, "Too many requests",
                $"This client sent more than {limit.PermitsPerSecond} requests a second (bursts of {limit.EffectiveBurst}; Http:RateLimit on the silo); retry after {seconds} s.");
        };
    }

    /// <summary>Refilled ten times a second (once per permit below 10 a second), so the rate is smooth, not a per-second cliff.</summary>
    private static TokenBucketRateLimiterOptions Bucket(RateLimitOptions limit)
    {
        var (period, tokens) = limit.PermitsPerSecond >= 10
            ? (TimeSpan.FromMilliseconds(100), limit.PermitsPerSecond / 10)
            : (TimeSpan.FromSeconds(1.0 / limit.PermitsPerSecond), 1);
        return new TokenBucketRateLimiterOptions
        {
            TokenLimit = limit.EffectiveBurst,
            TokensPerPeriod = tokens,
            ReplenishmentPeriod = period,
            QueueLimit = 0,
            AutoReplenishment = true,
        };
    }

    /// <summary>The key's bucket when one is sent (a client behind a shared address keeps its own), else the address's.</summary>
    private static string ClientOf(HttpContext context)
    {
        var key = context.Request.Headers[ApiKeyAuthentication.Header].FirstOrDefault() ?? context.Request.Headers.Authorization.FirstOrDefault();
        return key is { Length: > 0 } ? $"key:{key}" : $"address:{context.Connection.RemoteIpAddress}";
    }
}
