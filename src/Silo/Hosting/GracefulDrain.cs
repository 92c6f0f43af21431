using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MovieRecommender.Grains;
using MovieRecommender.Grains.Hosting;
using MovieRecommender.ServiceDefaults;
using Orleans.Core.Internal;
using Orleans.Runtime;

namespace MovieRecommender.Silo.Hosting;

/// <summary>
/// The silo's graceful stop (<see cref="SiloShutdownOptions"/>, section <c>Serving:Shutdown</c>). From the moment the
/// host is told to stop (SIGTERM, Ctrl+C, <c>StopAsync</c>) <c>/readyz</c> answers 503 "draining"; the silo keeps serving
/// for <see cref="SiloShutdownOptions.DrainDelay"/>, and meanwhile moves its candidate and user shards to the silos
/// they belong on without it (Orleans' activation migration, so calls queued at a shard follow it) and waits until
/// each answers there. Only then do the other hosted services stop: Kestrel finishes the HTTP requests under way and
/// Orleans stops gracefully (its gateway tells clients to send elsewhere, the silo becomes ShuttingDown, what is still
/// active here deactivates, and it leaves membership).
/// </summary>
/// <remarks>
/// It is an <see cref="IHostedLifecycleService"/>: the host calls every <see cref="StoppingAsync"/> before any hosted
/// service's <c>StopAsync</c>, so the drain runs while Kestrel and the silo still serve.
/// </remarks>
public sealed class GracefulDrain(
    SiloDrain drain,
    IOptions<SiloShutdownOptions> options,
    IHostApplicationLifetime lifetime,
    IGrainFactory grains,
    IClusterMembershipService membership,
    ILocalSiloDetails localSilo,
    ILogger<GracefulDrain> logger) : IHostedLifecycleService
{
    // A shard that does not answer from its new silo within this is left to Orleans' stop (it reloads on its next call).
    private static readonly TimeSpan MoveTimeout = TimeSpan.FromSeconds(10);

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        // The first moment: the host signals ApplicationStopping before it stops any service.
        lifetime.ApplicationStopping.Register(() => BeginDrain("stop requested"));
        return Task.CompletedTask;
    }

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task StoppingAsync(CancellationToken cancellationToken)
    {
        BeginDrain("stopping");
        var delay = options.Value.EffectiveDrainDelay;
        if (delay <= TimeSpan.Zero) return;
        var clock = Stopwatch.StartNew();
        try
        {
            if (options.Value.MoveShards) await MoveShardsAsync(cancellationToken);
            var rest = delay - (DateTimeOffset.UtcNow - (drain.Since ?? DateTimeOffset.UtcNow));
            if (rest > TimeSpan.Zero) await Task.Delay(rest, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The host's shutdown timeout: stop now.
        }
        Console.WriteLine($"Silo drained in {clock.Elapsed.TotalSeconds:0.0} s: stopping Orleans (ShuttingDown, then leaving membership).");
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private void BeginDrain(string why)
    {
        if (!drain.Begin() || options.Value.EffectiveDrainDelay <= TimeSpan.Zero) return;
        // A line of its own, as "Silo ready" is: scripts wait for it. (No drain, as the embedded default's: no line.)
        Console.WriteLine($"Silo draining ({why}): /readyz answers 503; serving on for {options.Value.EffectiveDrainDelay.TotalSeconds:0.#} s while its shards move.");
    }

    /// <summary>
    /// Every shard active here migrates (once idle between two calls) to the silo the spread rule picks among the
    /// others (<see cref="Grains.Placement.ShardSpreadPlacementDirector"/> leaves a draining silo out), then must answer
    /// there: a candidate shard its index status (its partition loaded), a user shard a profile lookup.
    /// </summary>
    private async Task MoveShardsAsync(CancellationToken cancellationToken)
    {
        var others = membership.CurrentSnapshot.Members.Values
            .Count(m => m.Status == SiloStatus.Active && !m.SiloAddress.Equals(localSilo.SiloAddress));
        var shards = drain.LocalShards();
        if (others == 0 || shards.Count == 0) return;
        var clock = Stopwatch.StartNew();
        var results = await Task.WhenAll(shards.Select(async shard =>
        {
            try
            {
                await Reference(shard).AsReference<IGrainManagementExtension>().MigrateOnIdle().AsTask().WaitAsync(MoveTimeout, cancellationToken);
                // The call reaches the new activation (calls queued at the old one are forwarded to it).
                Task answered = shard.Kind == SiloDrain.ShardKind.Candidate
                    ? grains.GetGrain<ICandidateShardGrain>(shard.Key).IndexStatus()
                    : grains.GetGrain<IUserShardGrain>(shard.Key).Get(ProbeUser);
                await answered.WaitAsync(MoveTimeout, cancellationToken);
                return null;
            }
            catch (VersionNotLoadedException)
            {
                // A retired shard: nothing to serve, here or there.
                return null;
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                return $"{shard.Kind} shard {shard.Key}: {e.GetType().Name}: {e.Message.Split('\n')[0]}";
            }
        }));
        var failed = results.Where(r => r is not null).ToArray();
        var left = drain.LocalShards().Count;
        Console.WriteLine($"Silo draining: {shards.Count - failed.Length} of {shards.Count} shard(s) moved to the other {others} silo(s) and answer there "
            + $"({clock.Elapsed.TotalMilliseconds:0} ms; {left} still here).");
        foreach (var failure in failed.Take(5)) logger.LogWarning("A shard did not move before the silo stops (it reloads on its next call): {Failure}", failure);
    }

    private static readonly string ProbeUser = "\u0000drain-probe";

    private IAddressable Reference((SiloDrain.ShardKind Kind, string Key) shard) => shard.Kind == SiloDrain.ShardKind.Candidate
        ? grains.GetGrain<ICandidateShardGrain>(shard.Key)
        : grains.GetGrain<IUserShardGrain>(shard.Key);
}

/// <summary>Registers the graceful stop on a silo host.</summary>
public static class GracefulDrainExtensions
{
    /// <param name="clustered">Cluster mode: the drain defaults to <see cref="SiloShutdownOptions.ClusterDrainDelay"/>.</param>
    public static IServiceCollection AddGracefulDrain(this IServiceCollection services, Microsoft.Extensions.Configuration.IConfiguration configuration, bool clustered)
    {
        services.AddValidatedOptions<SiloShutdownOptions, SiloShutdownOptionsValidator>(configuration, SiloShutdownOptions.Section)
            .PostConfigure(o => o.DrainDelay ??= clustered ? SiloShutdownOptions.ClusterDrainDelay : TimeSpan.Zero);
        services.AddHostedService<GracefulDrain>();
        // The host gives the drain and Orleans' stop their time; past it, it stops what remains.
        services.AddOptions<HostOptions>().Configure<IOptions<SiloShutdownOptions>>((host, shutdown) =>
            host.ShutdownTimeout = shutdown.Value.EffectiveDrainDelay + shutdown.Value.StopTimeout);
        return services;
    }
}
