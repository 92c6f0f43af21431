namespace MovieRecommender.Grains.Shards;

/// <summary>
/// The index ids a search of one partition skips: the caller's excluded rows in the shard, and every movie the
/// search's filter rejects. Which rows a filter keeps takes a scan of every row, so the answers of the last
/// <see cref="MaxCachedFilters"/> filters are kept (the same genres and decades are asked again and again); a write
/// to the partition makes them stale, and they are dropped. A filter that keeps at most <see cref="SelectiveShare"/>
/// of the rows is selective: its kept rows are cached (not the many it rejects), and the shard scores just those.
/// </summary>
public sealed class ShardExclusions(CandidatePartition partition)
{
    /// <summary>How many filters' answers are kept; past that the cache starts again empty.</summary>
    public const int MaxCachedFilters = 64;

    /// <summary>
    /// The largest share of a shard's rows a filter may keep and be searched by scoring those rows exactly. Above it the
    /// index searches, probing more lists the fewer rows the filter keeps. At 5 % of a 1M-row shard that is 50,000 dot
    /// products, under a millisecond.
    /// </summary>
    public const double SelectiveShare = 0.05;

    // Per filter: the rows it keeps when selective (else null), the rows it rejects when not (else null).
    private readonly Dictionary<MovieFilter, (int[]? Kept, int[]? Rejected)> _byFilter = [];
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
        var (kept, rejected) = Rows(filter);
        return rejected ?? SortedRows.Complement(kept!, partition.Count);
    }

    /// <summary>The rows (ascending) a selective filter keeps, or null when the filter keeps more than <see cref="SelectiveShare"/> of them.</summary>
    public int[]? KeptIfSelective(MovieFilter filter) => Rows(filter).Kept;

    /// <summary>The share of the rows the filter keeps.</summary>
    public double KeptShare(MovieFilter filter)
    {
        var (kept, rejected) = Rows(filter);
        return partition.Count == 0 ? 1 : (kept?.Length ?? partition.Count - rejected!.Length) / (double)partition.Count;
    }

    private (int[]? Kept, int[]? Rejected) Rows(MovieFilter filter)
    {
        if (_writes != partition.Writes)
        {
            _byFilter.Clear();
            _writes = partition.Writes;
        }
        if (_byFilter.TryGetValue(filter, out var cached)) return cached;
        var kept = partition.RowsAcceptedBy(filter);
        var rows = kept.Length <= SelectiveShare * partition.Count ? (kept, (int[]?)null) : (null, SortedRows.Complement(kept, partition.Count));
        if (_byFilter.Count >= MaxCachedFilters) _byFilter.Clear();
        return _byFilter[filter] = rows;
    }
}
