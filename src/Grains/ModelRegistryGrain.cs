using Microsoft.Extensions.Logging;
using MovieRecommender.Grains.Registry;
using MovieRecommender.Grains.Storage;

namespace MovieRecommender.Grains;

/// <summary>
/// Says which version serves. Activation and rollback are single assignments of durable state, so a reader sees
/// the old version or the new one, never a mix, and a restarted cluster comes back to the same version. Off the
/// requests' path: every silo keeps its own view (<see cref="ActiveModelView"/>), which this grain updates before an
/// activation or a rollback returns, and which each silo rereads from here periodically.
/// </summary>
[KeepAlive]
public sealed class ModelRegistryGrain(
    [PersistentState("registry", ModelStorage.ProviderName)] IPersistentState<RegistryState> state,
    ActiveModelBroadcast broadcast,
    ILogger<ModelRegistryGrain> logger) : Grain, IModelRegistryGrain
{
    public Task<ActiveModel?> GetActive() => Task.FromResult(state.State.Active);

    public Task<RegistrySnapshot> GetSnapshot() => Task.FromResult(Snapshot());

    public Task<VersionRecord[]> ListVersions() =>
        Task.FromResult(state.State.Versions.OrderByDescending(v => v.Info.PublishedAt).ToArray());

    public async Task Activate(ActiveModel model, string manifestJson, long embeddingBytes)
    {
        ArgumentNullException.ThrowIfNull(model);
        var current = state.State;
        if (current.Active?.Info.Version == model.Info.Version)
        {
            // Publishing again tells again: a silo that missed the first time catches up now.
            await TellEverySiloAsync();
            return;
        }

        var retiring = current.Previous is { } previous && previous.Info.Version != model.Info.Version ? previous.Info : null;
        var record = new VersionRecord(model.Info, VersionStatus.Active, manifestJson, embeddingBytes);
        await WriteOrRestoreAsync(current, current with
        {
            Active = model,
            Previous = current.Active,
            Versions = [.. current.Versions.Where(v => v.Info.Version != model.Info.Version)
                .Select(v => v with { Status = v.Info.Version == current.Active?.Info.Version ? VersionStatus.Previous : VersionStatus.Retired }), record],
            Generation = current.Generation + 1,
            Epoch = EpochOf(current),
        });
        // Silos first, then the retirement: a request still on the retired version meets its shards gone rarely,
        // and then rereads the registry (VersionNotLoadedException).
        await TellEverySiloAsync();
        if (retiring is not null) await RetireAsync(retiring);
    }

    public async Task<ActiveModel> ActivateKept(string version)
    {
        var current = state.State;
        if (current.Active is { } active && active.Info.Version == version) return active;
        if (current.Previous is { } previous && previous.Info.Version == version) return await Rollback();
        if (current.Versions.Any(v => v.Info.Version == version))
            throw new InvalidOperationException($"Version {version} was retired (its shards were freed); publish its artifact again to serve it ('publish ARTIFACT_DIR').");
        throw new KeyNotFoundException($"Version '{version}' is not known to the cluster; its versions are " +
            $"{(current.Versions.Count == 0 ? "none (nothing was published yet)" : string.Join(", ", current.Versions.Select(v => v.Info.Version)))}.");
    }

    public async Task<ActiveModel> Rollback()
    {
        var current = state.State;
        var previous = current.Previous
            ?? throw new InvalidOperationException("There is no previous version to roll back to: only one version was published since the last rollback.");
        var active = current.Active!;
        await WriteOrRestoreAsync(current, current with
        {
            Active = previous,
            Previous = active,
            Versions = [.. current.Versions.Select(v => v with
            {
                Status = v.Info.Version == previous.Info.Version ? VersionStatus.Active
                    : v.Info.Version == active.Info.Version ? VersionStatus.Previous : v.Status,
            })],
            Generation = current.Generation + 1,
            Epoch = EpochOf(current),
        });
        await TellEverySiloAsync();
        return previous;
    }

    /// <summary>
    /// Makes the new state durable, or, when the store fails (Redis down), puts the previous one back: the version
    /// that served keeps serving, and no silo is told of a change that did not happen.
    /// </summary>
    private Task WriteOrRestoreAsync(RegistryState current, RegistryState next) =>
        StoreFailure.WriteOrRestoreAsync(state, next, error =>
            $"The model registry could not save the change: the store failed ({error}). Nothing changed: version {current.Active?.Info.Version ?? "(none)"} still serves.");

    public Task<RegistryExport> Export() => Task.FromResult(new RegistryExport(
        state.State.Active, state.State.Previous, [.. state.State.Versions], state.State.Generation));

    public async Task Restore(RegistryExport backup)
    {
        ArgumentNullException.ThrowIfNull(backup);
        var current = state.State;
        if (current.Active is not null || current.Versions.Count > 0)
            throw new InvalidOperationException($"The registry already knows {current.Versions.Count} versions (active: {current.Active?.Info.Version ?? "none"}); restore only into an empty store.");
        // A new epoch: silos take this say whatever generation they heard before (the store was empty).
        await WriteOrRestoreAsync(current, current with
        {
            Active = backup.Active,
            Previous = backup.Previous,
            Versions = [.. backup.Versions],
            Generation = backup.Generation,
            Epoch = Guid.NewGuid().ToString("N"),
        });
        await TellEverySiloAsync();
    }

    private RegistrySnapshot Snapshot() => new(state.State.Generation, state.State.Active, state.State.Epoch);

    private static string EpochOf(RegistryState current) =>
        current.Epoch is { Length: > 0 } epoch ? epoch : Guid.NewGuid().ToString("N");

    /// <summary>Tells every silo's view what is active now, each within a bounded wait (see <see cref="ActiveModelBroadcast"/>).</summary>
    private async Task TellEverySiloAsync()
    {
        var snapshot = Snapshot();
        var (silos, told) = await broadcast.TellEverySiloAsync(snapshot);
        logger.LogInformation("Version {Version} (generation {Generation}) is active; {Told} of {Silos} silos were told",
            snapshot.Active?.Info.Version ?? "(none)", snapshot.Generation, told, silos);
    }

    /// <summary>Releases every shard of a version that is no longer kept: their memory and their stored state.</summary>
    private async Task RetireAsync(ModelVersionInfo version)
    {
        var retirements = new List<Task>();
        for (var shard = 0; shard < version.CandidateShards; shard++)
            retirements.Add(GrainFactory.GetGrain<ICandidateShardGrain>(ICandidateShardGrain.Key(version.Version, shard)).Retire());
        for (var shard = 0; shard < version.UserShards; shard++)
            retirements.Add(GrainFactory.GetGrain<IUserShardGrain>(IUserShardGrain.Key(version.Version, shard)).Retire());
        retirements.Add(GrainFactory.GetGrain<IModelTowersGrain>(version.Version).Retire());
        await Task.WhenAll(retirements);
    }
}
