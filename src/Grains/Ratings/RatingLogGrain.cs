using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Logging;
using MovieRecommender.Grains.Storage;

namespace MovieRecommender.Grains.Ratings;

/// <summary>
/// One partition of the user log. Concurrent appends are committed together (<see cref="GroupCommit{T}"/>: one write of
/// the open segment for every entry waiting), so the grain is reentrant and a rating costs one share of a write, the
/// same at the millionth as at the first (<see cref="SegmentedLog"/>). Reads are served from memory
/// (<see cref="UserLogIndex"/>), loaded from the segments on activation; an erasure rewrites the segments that held
/// the user, between commits.
/// </summary>
[Reentrant]
public sealed class RatingLogGrain(
    [PersistentState("ratinglog", ModelStorage.UserLogProviderName)] IPersistentState<RatingLogState> state,
    [PersistentState("erasures", ModelStorage.ProviderName)] IPersistentState<ErasureLogState> erasures,
    ILogger<RatingLogGrain> logger) : Grain, IRatingLogGrain
{
    /// <summary>Entries per segment: the open segment, rewritten on every commit, never holds more.</summary>
    public const int SegmentSize = 256;

    // Sealed segments read at once on activation.
    private const int ParallelReads = 8;

    // Each write of the open segment costs the store a fixed amount (a file created and renamed, or a Redis round
    // trip) whatever it holds; gathering the ratings of a few milliseconds into one write is what lets one silo take
    // thousands a second, for a few milliseconds more per rating.
    private static readonly TimeSpan Gather = TimeSpan.FromMilliseconds(4);

    private readonly UserLogIndex _index = new();
    private GroupCommit<UserLogEntry>? _commits;

    private GroupCommit<UserLogEntry> Commits => _commits ??= new(RecordAsync, Gather);

    private int Partition => int.Parse(this.GetPrimaryKeyString(), CultureInfo.InvariantCulture);

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var sealedSegments = state.State.SealedSegments;
        for (var first = 0; first < sealedSegments; first += ParallelReads)
        {
            var batch = Enumerable.Range(first, Math.Min(ParallelReads, sealedSegments - first)).ToArray();
            var read = await Task.WhenAll(batch.Select(n => Segment(n).Read()));
            for (var i = 0; i < batch.Length; i++)
                foreach (var entry in read[i]) _index.Add(entry, batch[i]);
        }
        foreach (var entry in state.State.Open) _index.Add(entry, segment: null);
        logger.LogInformation("User log partition {Partition}: {Users} users, {Segments} sealed segments and {Open} open entries, read in {Milliseconds:F0} ms",
            Partition, _index.Users, sealedSegments, state.State.Open.Count, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
    }

    public Task Append(UserLogEntry entry)
    {
        if (IRatingLogGrain.PartitionOf(entry.UserId) != Partition)
            throw new ArgumentException($"An entry of user log partition {IRatingLogGrain.PartitionOf(entry.UserId)} was sent to partition {Partition}.", nameof(entry));
        return Commits.AddAsync(entry);
    }

    public Task<UserLiveState?> StateOf(string userId) => Task.FromResult(_index.StateOf(userId));

    public async Task<RatingLogPage> Read(int segment)
    {
        var sealedSegments = state.State.SealedSegments;
        if (segment < sealedSegments) return new RatingLogPage(await Segment(segment).Read(), IsLast: false);
        return new RatingLogPage(segment == sealedSegments ? [.. state.State.Open] : [], IsLast: true);
    }

    public async Task<bool> Erase(string userId, bool erasedElsewhere)
    {
        var had = false;
        await Commits.RunExclusiveAsync(async () =>
        {
            had = _index.StateOf(userId) is not null;
            // Sealed segments first, the open one last: a failure part way leaves the user known here, so the
            // erasure is asked again and finishes.
            foreach (var number in _index.SegmentsOf(userId).ToArray())
            {
                var segment = Segment(number);
                var entries = await segment.Read();
                await segment.Store([.. entries.Where(e => e.UserId != userId)]);
            }
            if (state.State.Open.Any(e => e.UserId == userId))
                await StoreFailure.WriteOrRestoreAsync(state, state.State with { Open = state.State.Open.RemoveAll(e => e.UserId == userId) }, error =>
                    $"The user was not erased: the store failed ({error}). Ask again once it is back.");
            _index.Remove(userId);
            if (had || erasedElsewhere)
                await StoreFailure.WriteOrRestoreAsync(erasures, erasures.State with { Records = erasures.State.Records.Add(new ErasureRecord(userId, DateTimeOffset.UtcNow)) }, error =>
                    $"The user's data was erased, but the erasure was not recorded: the store failed ({error}). Ask again once it is back.");
        });
        return had;
    }

    public Task RestoreEntries(UserLogEntry[] entries, bool first) => Commits.RunExclusiveAsync(async () =>
    {
        if (first && (state.State.SealedSegments > 0 || state.State.Open.Count > 0))
            throw new InvalidOperationException($"User log partition {Partition} already holds entries; restore only into an empty store.");
        if (entries.FirstOrDefault(e => IRatingLogGrain.PartitionOf(e.UserId) != Partition) is { } stray)
            throw new ArgumentException($"An entry of user log partition {IRatingLogGrain.PartitionOf(stray.UserId)} was sent to partition {Partition}.", nameof(entries));
        if (entries.Length > 0) await RecordAsync(entries);
    });

    public Task RestoreErasures(ErasureRecord[] records) => Commits.RunExclusiveAsync(async () =>
    {
        if (erasures.State.Records.Count > 0)
            throw new InvalidOperationException($"User log partition {Partition} already recorded erasures; restore only into an empty store.");
        await StoreFailure.WriteOrRestoreAsync(erasures, erasures.State with { Records = [.. records] }, error =>
            $"User log partition {Partition}'s erasures were not restored: the store failed ({error}).");
    });

    public Task<ErasureRecord[]> Erasures() => Task.FromResult(erasures.State.Records.ToArray());

    private IRatingLogSegmentGrain Segment(int segment) => GrainFactory.GetGrain<IRatingLogSegmentGrain>(IRatingLogSegmentGrain.Key(Partition, segment));

    /// <summary>One commit: the entries appended to the open segment (full segments sealed), then served.</summary>
    private async Task RecordAsync(IReadOnlyList<UserLogEntry> entries)
    {
        var current = state.State;
        var (open, sealedSegments) = await SegmentedLog.AppendAsync(current.Open, current.SealedSegments, entries, SegmentSize,
            (number, sealedEntries) => Segment(number).Store(sealedEntries));
        await StoreFailure.WriteOrRestoreAsync(state, current with { Open = open, SealedSegments = sealedSegments }, error =>
            $"{entries.Count} entries of user log partition {Partition} were not recorded: the store failed ({error}).");
        foreach (var entry in entries) _index.Add(entry, segment: null);
        var appended = current.Open.AddRange(entries);
        for (var number = current.SealedSegments; number < sealedSegments; number++)
            _index.Sealed(appended.Skip((number - current.SealedSegments) * SegmentSize).Take(SegmentSize), number);
    }
}
