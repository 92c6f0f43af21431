namespace MovieRecommender.Grains;

/// <summary>
/// One partition of one model version's movie embeddings. Key: <see cref="Key"/>(version, shard), so a version's
/// shards never mix with another's.
/// </summary>
[Version(1)]
public interface ICandidateShardGrain : IGrainWithStringKey
{
    static string Key(string version, int shard) => new ShardKey(version, shard).ToString();

    Task Load(CandidateChunk chunk);

    /// <summary>
    /// Checks that every row of the shard arrived, stores the partition durably and starts building its index off
    /// the grain's turn; until the index is built the shard answers by exact scan (<see cref="WaitForIndex"/>).
    /// </summary>
    Task Seal();

    /// <summary>
    /// Returns once the shard's index is built (at once for an exact shard), or after <paramref name="patience"/> with
    /// the build still running (<see cref="ShardIndexStatus.IsBuilding"/>; call again); throws when the build failed.
    /// </summary>
    [AlwaysInterleave]
    Task<ShardIndexStatus> WaitForIndex(TimeSpan patience);

    /// <summary>The index the shard serves with now, without waiting (null rows: the shard holds no sealed partition).</summary>
    [AlwaysInterleave]
    Task<ShardIndexStatus> IndexStatus();

    /// <summary>The shard's K best movies by exact dot product, best first, skipping excluded rows.</summary>
    [AlwaysInterleave]
    Task<ScoredMovie[]> Search(ShardSearchRequest request);

    /// <summary>
    /// The same search by brute force over the shard's float32 rows, whatever its index: the reference that
    /// served recall is measured against.
    /// </summary>
    [AlwaysInterleave]
    Task<ExactShardAnswer> SearchExact(ShardSearchRequest request);

    /// <summary>The movie's row and candidate embedding when this shard holds it, else null.</summary>
    [AlwaysInterleave]
    Task<MovieVector?> Find(string movieId);

    /// <summary>The distinct genres of the shard's movies (what <c>--genre</c> can filter on), in no particular order.</summary>
    [AlwaysInterleave]
    Task<string[]> Genres();

    /// <summary>Applies live catalogue changes of movies this shard holds: puts embedded by the version's towers, takedowns hidden.</summary>
    Task Apply(LiveMovie[] changes);

    /// <summary>Which of the movies (ids this shard's sealed rows hold) are taken down.</summary>
    [AlwaysInterleave]
    Task<string[]> Withdrawn(string[] movieIds);

    /// <summary>
    /// Rows [<paramref name="skip"/>, skip + <paramref name="take"/>) of the sealed partition as a chunk <see cref="Load"/>
    /// takes (empty past the end), for a backup: in pages, as a grain call's message has a size limit.
    /// </summary>
    [AlwaysInterleave]
    Task<CandidateChunk> ExportRows(int skip, int take);

    /// <summary>Drops the partition, from memory and from storage (its version is no longer kept).</summary>
    Task Retire();
}
