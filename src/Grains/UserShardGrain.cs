using System.Runtime.InteropServices;
using MovieRecommender.Grains.Hosting;
using MovieRecommender.Grains.Placement;
using MovieRecommender.Grains.Storage;

namespace MovieRecommender.Grains;

/// <summary>
/// Holds one partition of one version's users: their query embeddings and seen movies, read by user grains
/// when they first serve that version. Pushed in chunks, then sealed: the seal writes the partition to the model
/// storage, from which a restarted or moved activation reloads it.
/// </summary>
[ShardSpreadPlacement]
public sealed class UserShardGrain(
    [PersistentState("users", ModelStorage.ProviderName)] IPersistentState<UserPartitionState> state,
    MemoryAfterLoad memory,
    SiloDrain drain) : Grain, IUserShardGrain
{
    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        // Known to the drain, which moves the silo's shards away before it stops.
        drain.ShardActivated(SiloDrain.ShardKind.User, this.GetPrimaryKeyString());
        // Read back from the store (a restart or a move): the read's buffers are garbage now.
        if (state.RecordExists) memory.LoadFinished();
        return Task.CompletedTask;
    }

    public Task Load(UserChunk chunk)
    {
        var partition = state.State;
        if (partition.Model is not null && !partition.Model.HasSameLayout(chunk.Model))
            throw new InvalidOperationException($"User shard {this.GetPrimaryKeyString()} already holds a different layout of version {partition.Model.Version}.");
        var dim = chunk.Model.Dimension;
        if (chunk.SeenRows.Length != chunk.UserIds.Length || chunk.Vectors.Length != chunk.UserIds.Length * dim * sizeof(float))
            throw new ArgumentException($"User chunk: {chunk.UserIds.Length} users, {chunk.SeenRows.Length} seen lists and {chunk.Vectors.Length} vector bytes do not match dimension {dim}.");
        var vectors = MemoryMarshal.Cast<byte, float>(chunk.Vectors);
        for (var i = 0; i < chunk.UserIds.Length; i++)
            partition.Profiles[chunk.UserIds[i]] = new UserProfile(vectors.Slice(i * dim, dim).ToArray(), chunk.SeenRows[i]);
        state.State = partition with { Model = chunk.Model, Sealed = false };
        return Task.CompletedTask;
    }

    public async Task Seal(int expectedUsers)
    {
        if (state.State.Profiles.Count != expectedUsers)
            throw new InvalidOperationException($"User shard {this.GetPrimaryKeyString()} holds {state.State.Profiles.Count} of {expectedUsers} users; push the rest before sealing.");
        if (state.State.Sealed && state.RecordExists) return;
        state.State = state.State with { Sealed = true };
        await state.WriteStateAsync();
        memory.LoadFinished();
    }

    public Task<UserProfile?> Get(string userId)
    {
        // Retired (or its storage lost): said distinctly, so that a caller whose view is stale rereads the registry.
        if (!state.State.Sealed)
            throw VersionNotLoadedException.ForShard(this.GetPrimaryKeyString());
        return Task.FromResult(state.State.Profiles.GetValueOrDefault(userId));
    }

    public async Task<bool> Erase(string userId)
    {
        if (!state.State.Sealed || !state.State.Profiles.ContainsKey(userId)) return false;
        var profiles = new Dictionary<string, UserProfile>(state.State.Profiles, StringComparer.Ordinal);
        profiles.Remove(userId);
        await StoreFailure.WriteOrRestoreAsync(state, state.State with { Profiles = profiles }, error =>
            $"The user was not erased from version {state.State.Model?.Version}: the store failed ({error}). Ask again once it is back.");
        return true;
    }

    public Task<UserChunk> ExportUsers(int skip, int take)
    {
        if (!state.State.Sealed || state.State.Model is not { } model)
            throw VersionNotLoadedException.ForShard(this.GetPrimaryKeyString());
        var page = state.State.Profiles.OrderBy(p => p.Key, StringComparer.Ordinal).Skip(skip).Take(take).ToArray();
        var vectors = new float[page.Length * model.Dimension];
        for (var i = 0; i < page.Length; i++) page[i].Value.Embedding.CopyTo(vectors, i * model.Dimension);
        return Task.FromResult(new UserChunk(model, [.. page.Select(p => p.Key)], MemoryMarshal.AsBytes(vectors.AsSpan()).ToArray(), [.. page.Select(p => p.Value.SeenRows)]));
    }

    public async Task Retire()
    {
        await state.ClearStateAsync();
        DeactivateOnIdle();
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        drain.ShardDeactivated(SiloDrain.ShardKind.User, this.GetPrimaryKeyString());
        return Task.CompletedTask;
    }
}
