using Microsoft.Extensions.DependencyInjection;
using Orleans.Runtime;

namespace MovieRecommender.Cluster;

/// <summary>
/// Sends a grain call again, at most twice (after 100 and 200 ms), when Orleans rejected it before any grain ran it
/// (<see cref="OrleansMessageRejectionException"/>). That is what a silo that is stopping answers to a call that a
/// stale directory cache still sends to one of its activations ("Silo stopping"), with the cache entry invalidated, so
/// the next attempt finds the grain's new activation. A rejected call was never executed, so sending it again is safe
/// for every method, writes included. Registered on silos (calls between grains) and on clients.
/// </summary>
public sealed class RejectedCallRetry : IOutgoingGrainCallFilter
{
    public const int Retries = 2;

    public Task Invoke(IOutgoingGrainCallContext context)
    {
        // Every grain call passes here: one that succeeded at once costs no state machine.
        var call = context.Invoke();
        return call.IsCompletedSuccessfully ? Task.CompletedTask : ResendIfRejected(context, call);
    }

    private static async Task ResendIfRejected(IOutgoingGrainCallContext context, Task first)
    {
        try
        {
            await first;
            return;
        }
        catch (OrleansMessageRejectionException)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(100));
        }
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await context.Invoke();
                return;
            }
            catch (OrleansMessageRejectionException) when (attempt < Retries)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(100 * (attempt + 1)));
            }
        }
    }
}

public static class RejectedCallRetryExtensions
{
    public static IServiceCollection AddRejectedCallRetry(this IServiceCollection services) =>
        services.AddSingleton<IOutgoingGrainCallFilter, RejectedCallRetry>();
}
