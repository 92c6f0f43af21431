using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using MovieRecommender.Grains.Hosting;
using MovieRecommender.Grains.Registry;

namespace MovieRecommender.HttpApi.Health;

/// <summary>
/// Ready (<c>/readyz</c>) when a version is active and every candidate shard of it answers a search within
/// <see cref="HttpApiOptions.ReadinessTimeout"/>: a shard still loading its partition (after a restart, a move or
/// a publish) keeps the silo unready, and the probe's call is what starts its loading. A silo that is draining
/// (told to stop: <see cref="SiloDrain"/>) is unready from that moment, whatever its shards do, so that load balancers
/// send new requests elsewhere while it finishes those under way.
/// </summary>
public sealed class ActiveVersionReadiness(IGrainFactory grains, ActiveModelView activeModel, IOptions<HttpApiOptions> options, SiloDrain drain) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (drain.Since is { } since)
            return HealthCheckResult.Unhealthy($"Draining: this silo is stopping (since {since:HH:mm:ss.fff} UTC); it finishes the requests under way and its shards move to the other silos. Send new requests elsewhere.",
                data: new Dictionary<string, object> { ["draining"] = true, ["drainingSince"] = since.ToString("O") });
        var timeout = options.Value.ReadinessTimeout;
        ActiveModel? active;
        try
        {
            // The version this silo serves: its view of the registry, as the requests it answers read it.
            active = await activeModel.CurrentAsync().AsTask().WaitAsync(timeout, cancellationToken);
        }
        catch (Exception e) when (e is TimeoutException or OrleansException)
        {
            return HealthCheckResult.Unhealthy($"The model registry did not answer within {timeout.TotalSeconds:0.###} s ({e.GetType().Name}).");
        }
        if (active is null)
            return HealthCheckResult.Unhealthy("No version is active yet: publish one ('publish ARTIFACT_DIR' or 'train --publish').");

        var model = active.Info;
        // Any finite query will do: the answer is not looked at, only that the shard's index answers.
        var query = Enumerable.Repeat(1f, model.Dimension).ToArray();
        var probe = new ShardSearchRequest(query, 1, []);
        var calls = Enumerable.Range(0, model.CandidateShards).Select(async shard =>
        {
            try
            {
                await grains.GetGrain<ICandidateShardGrain>(ICandidateShardGrain.Key(model.Version, shard)).Search(probe).WaitAsync(timeout, cancellationToken);
                return null;
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                return $"shard {shard} ({(e is TimeoutException ? $"no answer within {timeout.TotalSeconds:0.###} s" : e.Message)})";
            }
        });
        var failures = (await Task.WhenAll(calls)).Where(f => f is not null).ToArray();
        var data = new Dictionary<string, object> { ["version"] = model.Version, ["shards"] = model.CandidateShards, ["shardsAnswering"] = model.CandidateShards - failures.Length };
        return failures.Length == 0
            ? HealthCheckResult.Healthy($"Version {model.Version} is active and its {model.CandidateShards} shard(s) answer.", data)
            : HealthCheckResult.Unhealthy($"{failures.Length} of {model.CandidateShards} shards of version {model.Version} do not answer yet: {string.Join("; ", failures.Take(5))}.", data: data);
    }
}
