using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MovieRecommender.Grains.Catalogue;
using MovieRecommender.Grains.Hosting;
using MovieRecommender.Grains.Indexing;
using MovieRecommender.Grains.Placement;
using MovieRecommender.Grains.Shards;
using MovieRecommender.Grains.Storage;
using MovieRecommender.Grains.Telemetry;
using MovieRecommender.Index;

namespace MovieRecommender.Grains;

/// <summary>
/// Holds one partition of one version's movie embeddings in memory and answers top-K searches over it. Pushed in
/// chunks, then sealed: the seal writes the partition to the model storage (from which a restarted or moved
/// activation reloads it) and starts building the index the version names (<see cref="ModelVersionInfo.Index"/>,
/// <c>auto</c>: by the shard's size) off the grain's turn, through <see cref="IShardIndexBuilder"/>. Until it is
/// built the shard answers by exact scan of its float32 rows: the same answer, only slower. Every index returns
/// exact float32 scores. Kept alive while loaded: rebuilding the index costs time. Only the Orleans plumbing is
/// here; the rows, the index and the live catalogue's changes live in plain classes (<see cref="CandidatePartition"/>,
/// <see cref="ShardIndexSlot"/>, <see cref="LiveOverlay"/>).
/// </summary>
[KeepAlive, ShardSpreadPlacement]
public sealed class CandidateShardGrain(
    IOptions<IndexOptions> indexOptions,
    IShardIndexBuilder indexBuilder,
    IOptions<ShardRebalanceOptions> rebalance,
    IClusterMembershipService membership,
    ILocalSiloDetails localSilo,
    ILogger<CandidateShardGrain> logger,
    MemoryAfterLoad memory,
    IOptions<ShardAnswerLogOptions> answerLog,
    SiloDrain drain,
    TakeoverFence takeover,
    [PersistentState("candidates", ModelStorage.ProviderName)] IPersistentState<CandidatePartitionState> state) : Grain, ICandidateShardGrain
{
    private readonly ShardIndexSlot _slot = new(indexBuilder, indexOptions.Value);
    // Null until the first chunk (or the stored partition) arrives, and again once retired.
    private CandidatePartition? _partition;
    // The live catalogue's changes over the sealed rows (empty until the shard is sealed or reloaded).
    private LiveOverlay? _live;

    // Set when Serving:Shards:AnswerLogInterval asks for it (the partition harness).
    private ShardAnswerLog? _answers;

    private string Key => this.GetPrimaryKeyString();

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        // Placed again after a silo was declared dead: that silo may still answer for this shard until it reads so.
        if (takeover.Remaining is var wait && wait > TimeSpan.Zero)
        {
            logger.LogInformation("Candidate shard {Shard} waits {Milliseconds:F0} ms before it answers: a silo was just declared dead", Key, wait.TotalMilliseconds);
            await Task.Delay(wait, cancellationToken);
        }
        // Known to the drain, which moves the silo's shards away before it stops.
        drain.ShardActivated(SiloDrain.ShardKind.Candidate, Key);
        // A sealed partition in storage: this activation follows a restart, a crash or a move. It serves the live
        // catalogue's changes from its first answer on.
        if (state.RecordExists && state.State.Model is { } model)
        {
            StartIndexBuild(_partition = CandidatePartition.FromState(state.State, ShardOf(model)));
            _live = await LiveChanges.ReplayAsync(GrainFactory, _partition, logger);
            if (_live.NeedsIndex) _ = LiveChanges.IndexAsync(indexBuilder, _live, _partition.Model.Dimension, logger);
        }
        if (answerLog.Value.AnswerLogInterval is var every && every > TimeSpan.Zero)
        {
            var answers = _answers = new ShardAnswerLog(Key, GrainContext.ActivationId.ToString(), localSilo.SiloAddress.ToString());
            this.RegisterGrainTimer(_ => { answers.Flush(logger); return Task.CompletedTask; }, new GrainTimerCreationOptions(every, every) { Interleave = true });
        }
        if (rebalance.Value is { Enabled: true, Interval: var interval })
        {
            var jitter = TimeSpan.FromMilliseconds(Random.Shared.Next((int)interval.TotalMilliseconds));
            this.RegisterGrainTimer(_ => MoveIfMisplaced(), new GrainTimerCreationOptions(interval + jitter, interval) { Interleave = true });
        }
    }

    /// <summary>
    /// Cluster mode: when the active silos changed (one joined) so that this shard belongs on another silo, it
    /// migrates there once idle. Only a sealed shard moves: its partition is in the store, so nothing is lost. While a
    /// silo joins or leaves (Joining, ShuttingDown, Stopping) it waits for the next round: the rule over a membership in
    /// flux moves shards twice, and a shard that activates on a survivor while a silo stops finds what its activation
    /// reads (the live catalogue) on the silo that is leaving, which refuses the call ("Silo stopping").
    /// </summary>
    private Task MoveIfMisplaced()
    {
        if (_partition is not { IsComplete: true } || !state.RecordExists) return Task.CompletedTask;
        var members = membership.CurrentSnapshot.Members.Values;
        if (drain.IsDraining || members.Any(m => m.Status is SiloStatus.Joining or SiloStatus.ShuttingDown or SiloStatus.Stopping))
            return Task.CompletedTask;
        var active = members.Where(m => m.Status == SiloStatus.Active).Select(m => m.SiloAddress).ToArray();
        if (active.Length > 1 && !ShardSpreadPlacementDirector.PreferredSilo(Key, active).Equals(localSilo.SiloAddress))
            this.MigrateOnIdle();
        return Task.CompletedTask;
    }

    public Task Load(CandidateChunk chunk)
    {
        if (_partition is { Model: var held } && !held.HasSameLayout(chunk.Model))
            throw new InvalidOperationException($"Candidate shard {Key} already holds a different layout of version {held.Version}.");
        (_partition ??= CandidatePartition.ForLayout(chunk.Model, ShardOf(chunk.Model))).Take(chunk);
        // Any write invalidates the index; it is rebuilt once every row is present and sealed.
        _slot.Drop();
        return Task.CompletedTask;
    }

    public async Task Seal()
    {
        var partition = _partition ?? throw new InvalidOperationException($"Candidate shard {Key} received no rows to seal.");
        if (!partition.IsComplete)
            throw new InvalidOperationException($"Candidate shard {Key} holds {partition.LoadedCount} of {partition.Count} rows; push the rest before sealing.");
        if (!_slot.Started) StartIndexBuild(partition);
        if (state.RecordExists && state.State.Model is { } stored && stored.HasSameLayout(partition.Model)) return;
        state.State = partition.ToState();
        await state.WriteStateAsync();
        memory.LoadFinished();
    }

    public Task<ScoredMovie[]> Search(ShardSearchRequest request)
    {
        var partition = Loaded();
        _answers?.Answered();
        if (_live is not { } live) return Task.FromResult(_slot.Search(partition, request, []));
        return Task.FromResult(LiveChanges.Merge(_slot.Search(partition, request, live.HiddenSealedRows), live, request));
    }

    public Task<ExactShardAnswer> SearchExact(ShardSearchRequest request)
    {
        var partition = Loaded();
        _answers?.Answered();
        var answer = _slot.SearchExact(partition, request, _live?.HiddenSealedRows ?? []);
        return Task.FromResult(_live is { } live ? answer with { Movies = LiveChanges.Merge(answer.Movies, live, request) } : answer);
    }

    public async Task Apply(LiveMovie[] changes)
    {
        var partition = Loaded();
        var live = _live ??= new LiveOverlay(partition.Model.Dimension);
        await LiveChanges.ApplyAsync(GrainFactory, partition, live, changes);
        if (live.NeedsIndex) _ = LiveChanges.IndexAsync(indexBuilder, live, partition.Model.Dimension, logger);
    }

    public Task<string[]> Withdrawn(string[] movieIds) =>
        Task.FromResult(_live is { } live && _partition is { } partition
            ? movieIds.Where(id => live.Find(id) is null && partition.LocalRowOf(id) is { } local && live.Hides(local)).ToArray()
            : []);

    public async Task<ShardIndexStatus> WaitForIndex(TimeSpan patience)
    {
        await _slot.WaitAsync(Key, Loaded(), patience);
        return _slot.Status(Key, _partition);
    }

    public Task<ShardIndexStatus> IndexStatus() => Task.FromResult(_slot.Status(Key, _partition));

    public Task<MovieVector?> Find(string movieId)
    {
        var partition = _partition ?? throw NotLoaded();
        if (_live is not { } live) return Task.FromResult(partition.Find(movieId));
        // A put movie as it serves now; a sealed one unless taken down (hidden and not put again).
        return Task.FromResult(live.Find(movieId) ?? (partition.LocalRowOf(movieId) is { } local && !live.Hides(local) ? partition.VectorAt(local) : null));
    }

    public Task<string[]> Genres() =>
        Task.FromResult((_partition?.Genres() ?? []).Concat(_live?.Genres() ?? []).Distinct(StringComparer.OrdinalIgnoreCase).ToArray());

    /// <summary>
    /// Started from the grain's turn, so that the slot's continuation, which installs the built index, runs on this
    /// grain's scheduler too, never beside a search. The silo's gauges follow what the shard serves.
    /// </summary>
    private void StartIndexBuild(CandidatePartition partition) =>
        _slot.Start(partition, (kind, rows) =>
        {
            ServingState.ShardLoaded(Key, partition.Model.Version, partition.Shard, kind, rows);
            memory.LoadFinished();
        });

    /// <summary>The partition once every row is present; else why the shard cannot answer.</summary>
    private CandidatePartition Loaded()
    {
        var partition = _partition ?? throw NotLoaded();
        if (!partition.IsComplete)
            throw new InvalidOperationException($"Candidate shard {Key} is not loaded ({partition.LoadedCount} of {partition.Count} rows); publish the model again.");
        return partition;
    }

    /// <summary>
    /// Asked about a version this shard holds nothing of (retired, or never sealed): said distinctly, so that a caller
    /// whose view of the active version is stale rereads the registry; and this empty activation goes.
    /// </summary>
    private VersionNotLoadedException NotLoaded()
    {
        DeactivateOnIdle();
        return VersionNotLoadedException.ForShard(Key);
    }

    /// <summary>The shard index this grain's key names, checked against the version's layout.</summary>
    private int ShardOf(ModelVersionInfo model)
    {
        if (!ShardKey.TryParse(Key, out var parsed) || parsed.Version != model.Version || parsed.Shard >= model.CandidateShards)
            throw new ArgumentException($"Candidate shard key '{Key}' does not match version {model.Version} with {model.CandidateShards} shards.");
        return parsed.Shard;
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        _answers?.Flush(logger);
        drain.ShardDeactivated(SiloDrain.ShardKind.Candidate, Key);
        ServingState.ShardUnloaded(Key);
        return Task.CompletedTask;
    }

    public Task<CandidateChunk> ExportRows(int skip, int take)
    {
        // The stored partition, not the one in memory: it is what a sealed shard keeps (the live overlay is the
        // live catalogue's, replayed on restore).
        if (!state.RecordExists || state.State.Model is not { } model) throw NotLoaded();
        var stored = state.State;
        var first = Math.Clamp(skip, 0, stored.RowCount);
        var count = Math.Clamp(take, 0, stored.RowCount - first);
        var dim = model.Dimension;
        return Task.FromResult(new CandidateChunk(model, stored.FirstRow + first, stored.IdsOf(first, count), stored.TitlesOf(first, count),
            System.Runtime.InteropServices.MemoryMarshal.AsBytes(stored.Vectors.AsSpan(first * dim, count * dim)).ToArray(),
            stored.Genres[first..(first + count)], stored.Years[first..(first + count)]));
    }

    public async Task Retire()
    {
        ServingState.ShardUnloaded(Key);
        _slot.Drop();
        _partition = null;
        _live = null;
        await state.ClearStateAsync();
        DeactivateOnIdle();
    }
}
