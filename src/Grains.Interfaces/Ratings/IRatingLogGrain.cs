namespace MovieRecommender.Grains;

/// <summary>
/// One partition of the user log (key: <see cref="Key"/>; users split by <see cref="PartitionOf"/>): every rating and
/// profile recorded since training, in order, durable before a call returns, and the record of every erasure. It is
/// what user grains serve from, what <c>export-ratings</c> streams for the next training run, and what <c>verify</c>
/// and backups read. Appends cost the same at the millionth entry as at the first: the partition rewrites only its
/// open segment, and sealed segments are grains of their own (<see cref="IRatingLogSegmentGrain"/>).
/// </summary>
[Version(1)]
public interface IRatingLogGrain : IGrainWithStringKey
{
    /// <summary>Fixed for the life of a store: a user's partition is where their entries are.</summary>
    const int Partitions = 8;

    static string Key(int partition) => partition.ToString(System.Globalization.CultureInfo.InvariantCulture);

    static int PartitionOf(string userId) => Partitioning.UserShardOf(userId, Partitions);

    static IRatingLogGrain For(IGrainFactory grains, string userId) => grains.GetGrain<IRatingLogGrain>(Key(PartitionOf(userId)));

    /// <summary>Every partition, in export order.</summary>
    static IEnumerable<IRatingLogGrain> All(IGrainFactory grains) =>
        Enumerable.Range(0, Partitions).Select(p => grains.GetGrain<IRatingLogGrain>(Key(p)));

    /// <summary>
    /// The whole log in a stable order (partition by partition, each oldest first), one segment in memory at a time.
    /// Entries appended while it runs may or may not be in it; every entry acknowledged before it began is.
    /// </summary>
    static async IAsyncEnumerable<UserLogEntry> ReadAllAsync(IGrainFactory grains, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct = default)
    {
        foreach (var partition in All(grains))
        {
            for (var segment = 0; ; segment++)
            {
                ct.ThrowIfCancellationRequested();
                var page = await partition.Read(segment);
                foreach (var entry in page.Entries) yield return entry;
                if (page.IsLast) break;
            }
        }
    }

    /// <summary>Every user erased, from every partition's record.</summary>
    static async Task<HashSet<string>> ErasedUsersAsync(IGrainFactory grains) =>
        (await Task.WhenAll(All(grains).Select(p => p.Erasures()))).SelectMany(r => r).Select(r => r.UserId).ToHashSet(StringComparer.Ordinal);

    /// <summary>Records the entry; durable once this returns (concurrent appends share one write).</summary>
    Task Append(UserLogEntry entry);

    /// <summary>What the log holds of one user: their ratings, oldest first, and their latest profile; null when nothing.</summary>
    [AlwaysInterleave]
    Task<UserLiveState?> StateOf(string userId);

    /// <summary>Segment <paramref name="segment"/> of the log (sealed ones first, then the open one), for streaming it in a stable order.</summary>
    [AlwaysInterleave]
    Task<RatingLogPage> Read(int segment);

    /// <summary>
    /// Removes every entry of the user from the log and its store, and records the erasure (who and when, no data)
    /// when there was anything to erase here or <paramref name="erasedElsewhere"/>. True when the log held anything of them.
    /// </summary>
    Task<bool> Erase(string userId, bool erasedElsewhere);

    /// <summary>Every erasure this partition recorded, oldest first.</summary>
    [AlwaysInterleave]
    Task<ErasureRecord[]> Erasures();

    /// <summary>
    /// Appends a backup's entries as they were (order and times kept), one page of a restore; the <paramref name="first"/>
    /// page is refused (<see cref="InvalidOperationException"/>) unless the partition holds nothing.
    /// </summary>
    Task RestoreEntries(UserLogEntry[] entries, bool first);

    /// <summary>Records a backup's erasures as they were; refused unless the partition recorded none.</summary>
    Task RestoreErasures(ErasureRecord[] records);
}
