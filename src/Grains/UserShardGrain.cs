using System.Runtime.InteropServices;
using MovieRecommender.Grains.Hosting;
using MovieRecommender.Grains.Placement;
using MovieRecommender.Grains.Storage;
using MovieRecommender.Grains.Users;

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
    // The users pushed since the last seal; laid out flat when it comes.
    private UserRowsBuilder? _pushed;

    private UserRows Rows => state.State.Rows ?? UserRows.Empty(state.State.Model?.Dimension ?? 0);

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (state.State is { Rows: null, Profiles.Count: > 0, Model: { } model } legacy)
        {
            // Stored by an earlier build as a dictionary of profiles: served from the flat form, stored in it at the next write.
            var builder = new UserRowsBuilder(model.Dimension);
            foreach (var (id, profile) in legacy.Profiles)
                builder.Add([id], profile.Embedding, [profile.SeenRows]);
            state.State = legacy with { Rows = builder.Build(), Profiles = null };
        }
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
        if (_pushed is null)
        {
            _pushed = new UserRowsBuilder(dim);
            // Pushed again over a sealed partition: what it holds stays, what comes replaces it user by user.
            if (partition.Rows is { Count: > 0 } held) _pushed.Add(held);
        }
        _pushed.Add(chunk.UserIds, MemoryMarshal.Cast<byte, float>(chunk.Vectors), chunk.SeenRows);
        state.State = partition with { Model = chunk.Model, Sealed = false };
        return Task.CompletedTask;
    }

    public async Task Seal(int expectedUsers)
    {
        var rows = _pushed?.Build() ?? Rows;
        if (rows.Count != expectedUsers)
            throw new InvalidOperationException($"User shard {this.GetPrimaryKeyString()} holds {rows.Count} of {expectedUsers} users; push the rest before sealing.");
        if (state.State.Sealed && state.RecordExists) return;
        state.State = state.State with { Rows = rows, Profiles = null, Sealed = true };
        await state.WriteStateAsync();
        _pushed = null;
        memory.LoadFinished();
    }

    public Task<UserProfile?> Get(string userId)
    {
        // Retired (or its storage lost): said distinctly, so that a caller whose view is stale rereads the registry.
        if (!state.State.Sealed)
            throw VersionNotLoadedException.ForShard(this.GetPrimaryKeyString());
        return Task.FromResult(Rows.Find(userId));
    }

    public async Task<bool> Erase(string userId)
    {
        if (!state.State.Sealed || Rows.IndexOf(userId) is var index && index < 0) return false;
        await StoreFailure.WriteOrRestoreAsync(state, state.State with { Rows = Rows.Without(index) }, error =>
            $"The user was not erased from version {state.State.Model?.Version}: the store failed ({error}). Ask again once it is back.");
        return true;
    }

    public Task<UserChunk> ExportUsers(int skip, int take)
    {
        if (!state.State.Sealed || state.State.Model is not { } model)
            throw VersionNotLoadedException.ForShard(this.GetPrimaryKeyString());
        var rows = Rows;
        var first = Math.Clamp(skip, 0, rows.Count);
        var count = Math.Clamp(take, 0, rows.Count - first);
        var ids = new string[count];
        var seen = new int[count][];
        for (var i = 0; i < count; i++)
        {
            ids[i] = rows.IdAt(first + i);
            seen[i] = rows.SeenAt(first + i).ToArray();
        }
        var vectors = MemoryMarshal.AsBytes(rows.Vectors.AsSpan(first * model.Dimension, count * model.Dimension)).ToArray();
        return Task.FromResult(new UserChunk(model, ids, vectors, seen));
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
