using Microsoft.Extensions.Logging;
using MovieRecommender.Grains.Catalogue;
using MovieRecommender.Grains.Registry;
using MovieRecommender.Grains.Storage;

namespace MovieRecommender.Grains;

/// <summary>
/// One partition of the live catalogue: records each put and takedown durably (an append to the open segment of
/// its log, so a change costs the same at the millionth as at the first), then applies it to the shard that holds
/// the movie in the active version, and in any version being published, before the call returns. Concurrent changes
/// are committed together (<see cref="GroupCommit{T}"/>: one write, one call per shard), so the grain is reentrant;
/// every write of its state and every replay runs one at a time. A shard that restarts, and every version published
/// later, replay the partition (<see cref="List"/>, <see cref="ApplyTo"/>).
/// </summary>
[Reentrant]
public sealed class LiveCatalogueGrain(
    [PersistentState("catalogue", ModelStorage.ProviderName)] IPersistentState<LiveCatalogueState> state,
    ActiveModelView activeModel,
    ILogger<LiveCatalogueGrain> logger) : Grain, ILiveCatalogueGrain
{
    /// <summary>Changes per segment: the open segment, rewritten on every change, never holds more.</summary>
    public const int SegmentSize = 64;

    // The latest change of each movie; the log in memory.
    private readonly Dictionary<string, LiveMovie> _latest = new(StringComparer.Ordinal);
    // Versions being published: they take every change too, until they serve (or are gone).
    private readonly Dictionary<string, ModelVersionInfo> _publishing = [];
    private (string Version, string[] Genres)? _genres;
    // Each movie's sequence, fixed at its first change (recorded or waiting to be), and the next one to give.
    private readonly Dictionary<string, long> _sequenceOf = new(StringComparer.Ordinal);
    private long _nextSequence;
    private GroupCommit<LiveMovie>? _commits;

    private GroupCommit<LiveMovie> Commits => _commits ??= new(CommitAsync);

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        for (var segment = 0; segment < state.State.SealedSegments; segment++)
            foreach (var change in await Segment(segment).Read())
                _latest[change.Id] = change;
        foreach (var change in state.State.Open) _latest[change.Id] = change;
        foreach (var change in _latest.Values) _sequenceOf[change.Id] = change.Sequence;
        _nextSequence = state.State.NextSequence;
    }

    public async Task<LiveMovie> Put(string movieId, MovieDescription description)
    {
        if (description.Problem() is { } problem) throw new ArgumentException(problem, nameof(description));
        var model = await ActiveAsync();
        // Every check before the change is recorded: a refused put changes nothing.
        var known = await GenresAsync(model);
        if (known.Length == 0)
            throw new NotSupportedException($"Version {model.Version} carries no feature towers, so it cannot embed a new movie; train and publish a model with movie features.");
        foreach (var genre in description.Genres)
            if (!known.Contains(genre, StringComparer.Ordinal))
                throw new ArgumentException($"Genre '{genre}' is not one the model knows; use one of {string.Join(", ", known)}.", nameof(description));

        var change = new LiveMovie(movieId, description, TakenDown: false, SequenceOf(movieId), DateTimeOffset.UtcNow);
        await Commits.AddAsync(change);
        return change;
    }

    public async Task<bool> TakeDown(string movieId)
    {
        var model = await ActiveAsync();
        var live = _latest.GetValueOrDefault(movieId);
        if (live is { TakenDown: true }) return true;
        var placement = (await GrainFactory.GetGrain<IModelTowersGrain>(model.Version).Place([movieId]))[0];
        if (live is null && !placement.Known) return false;
        var change = new LiveMovie(movieId, live?.Description, TakenDown: true, SequenceOf(movieId), DateTimeOffset.UtcNow);
        await Commits.AddAsync(change);
        return true;
    }

    public Task<LiveMovie[]> List() => Task.FromResult(_latest.Values.OrderBy(m => m.Sequence).ToArray());

    // Between commits: a change is either in the replay or taken by the version as a later commit applies it.
    public Task ApplyTo(ModelVersionInfo version) => Commits.RunExclusiveAsync(async () =>
    {
        _publishing[version.Version] = version;
        await ApplyAsync(version, [.. _latest.Values.OrderBy(m => m.Sequence)]);
    });

    // Between commits: every change acknowledged before is in it.
    public async Task<LiveCatalogueExport> Export()
    {
        LiveCatalogueExport? export = null;
        await Commits.RunExclusiveAsync(() =>
        {
            export = new LiveCatalogueExport([.. _latest.Values.OrderBy(m => m.Sequence)], state.State.NextSequence);
            return Task.CompletedTask;
        });
        return export!;
    }

    public Task Restore(LiveCatalogueExport backup) => Commits.RunExclusiveAsync(async () =>
    {
        ArgumentNullException.ThrowIfNull(backup);
        if (_latest.Count > 0 || state.State.SealedSegments > 0 || state.State.NextSequence > 0)
            throw new InvalidOperationException($"Live catalogue partition {this.GetPrimaryKeyString()} already holds changes; restore only into an empty store.");
        if (backup.Changes.Length > 0) await RecordAsync(backup.Changes);
        await StoreFailure.WriteOrRestoreAsync(state, state.State with { NextSequence = Math.Max(state.State.NextSequence, backup.NextSequence) }, error =>
            $"Live catalogue partition {this.GetPrimaryKeyString()} was not restored: the store failed ({error}).");
        foreach (var change in backup.Changes) _sequenceOf[change.Id] = change.Sequence;
        _nextSequence = state.State.NextSequence;
    });

    /// <summary>This partition's sealed segment number <paramref name="segment"/>.</summary>
    private ILiveCatalogueSegmentGrain Segment(int segment) => GrainFactory.GetGrain<ILiveCatalogueSegmentGrain>(
        ILiveCatalogueSegmentGrain.Key(int.Parse(this.GetPrimaryKeyString(), System.Globalization.CultureInfo.InvariantCulture), segment));

    /// <summary>The genres the version's towers know, asked once per version.</summary>
    private async Task<string[]> GenresAsync(ModelVersionInfo model)
    {
        if (_genres is { } cached && cached.Version == model.Version) return cached.Genres;
        var genres = await GrainFactory.GetGrain<IModelTowersGrain>(model.Version).Genres();
        _genres = (model.Version, genres);
        return genres;
    }

    /// <summary>The movie's sequence: its first change's, else the next (given now, so that changes waiting together differ).</summary>
    private long SequenceOf(string movieId)
    {
        if (!_sequenceOf.TryGetValue(movieId, out var sequence)) _sequenceOf[movieId] = sequence = _nextSequence++;
        return sequence;
    }

    /// <summary>One commit: the changes recorded, then applied to the active version and any being published.</summary>
    private async Task CommitAsync(IReadOnlyList<LiveMovie> changes)
    {
        await RecordAsync(changes);
        await ApplyEverywhereAsync(await ActiveAsync(), [.. changes]);
    }

    /// <summary>Appends the changes to the open segment, sealing each full one; durable before anything serves them.</summary>
    private async Task RecordAsync(IReadOnlyList<LiveMovie> changes)
    {
        var current = state.State;
        var next = current with { NextSequence = Math.Max(current.NextSequence, changes.Max(c => c.Sequence) + 1) };
        var (open, sealedSegments) = await SegmentedLog.AppendAsync(current.Open, current.SealedSegments, changes, SegmentSize,
            (segment, sealedChanges) => Segment(segment).Store(sealedChanges));
        await StoreFailure.WriteOrRestoreAsync(state, next with { Open = open, SealedSegments = sealedSegments }, error =>
            $"The change to movie '{changes[0].Id}'{(changes.Count > 1 ? $" and {changes.Count - 1} more" : "")} was not recorded: the store failed ({error}). Nothing changed; try again once it is back.");
        foreach (var change in changes) _latest[change.Id] = change;
    }

    private async Task ApplyEverywhereAsync(ModelVersionInfo active, LiveMovie[] changes)
    {
        _publishing.Remove(active.Version);
        await ApplyAsync(active, changes);
        foreach (var version in _publishing.Values.ToArray())
        {
            try
            {
                await ApplyAsync(version, changes);
            }
            catch (VersionNotLoadedException)
            {
                // Its publish failed or it was retired: it takes no more changes.
                _publishing.Remove(version.Version);
            }
        }
    }

    /// <summary>Sends each change to the shard that holds the movie in <paramref name="version"/>.</summary>
    private async Task ApplyAsync(ModelVersionInfo version, LiveMovie[] changes)
    {
        if (changes.Length == 0) return;
        var placements = await GrainFactory.GetGrain<IModelTowersGrain>(version.Version).Place([.. changes.Select(c => c.Id)]);
        await Task.WhenAll(changes.Zip(placements).GroupBy(p => p.Second.Shard).Select(shard =>
            GrainFactory.GetGrain<ICandidateShardGrain>(ICandidateShardGrain.Key(version.Version, shard.Key)).Apply([.. shard.Select(p => p.First)])));
        logger.LogDebug("Applied {Changes} live catalogue changes to version {Version}", changes.Length, version.Version);
    }

    private async Task<ModelVersionInfo> ActiveAsync() => (await activeModel.CurrentAsync())?.Info
        ?? throw new InvalidOperationException("No model is published yet: train one with 'train --publish' or run 'publish ARTIFACT_DIR'.");
}
