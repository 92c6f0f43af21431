namespace MovieRecommender.Grains.Shards;

/// <summary>
/// The index ids a search of one partition skips: the caller's excluded rows in the shard, and every movie the
/// search's filter rejects. Which rows a filter rejects takes a scan of every row, so the answers of the last
/// <see cref="MaxCachedFilters"/> filters are kept (the same genres and decades are asked again and again); a write
/// to the partition makes them stale, and they are dropped.
/// </summary>
public sealed class ShardExclusions(CandidatePartition partition)
{
    /// <summary>How many filters' answers are kept; past that the cache starts again empty.</summary>
    public const int MaxCachedFilters = 64;

    private readonly Dictionary<MovieFilter, int[]> _rejectedByFilter = [];
    // The partition's write count the cached answers were computed at.
    private int _writes = partition.Writes;

    /// <summary>The index ids (ascending) to skip for the request.</summary>
    public int[] Of(ShardSearchRequest request)
    {
        var excluded = partition.LocalRows(request.ExcludedRows);
        if (request.Filter is not { IsEmpty: false } filter) return excluded;
        return SortedRows.Union(excluded, Rejected(filter));
    }

    /// <summary>The rows the filter rejects (ascending), from the cache while the partition was not written since.</summary>
    public int[] Rejected(MovieFilter filter)
    {
        if (_writes != partition.Writes)
        {
            _rejectedByFilter.Clear();
            _writes = partition.Writes;
        }
        if (_rejectedByFilter.TryGetValue(filter, out var cached)) return cached;
        var rejected = partition.RowsRejectedBy(filter);
        if (_rejectedByFilter.Count >= MaxCachedFilters) _rejectedByFilter.Clear();
        return _rejectedByFilter[filter] = rejected;
    }
}
