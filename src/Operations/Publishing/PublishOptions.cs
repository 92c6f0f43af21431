using MovieRecommender.Index;

namespace MovieRecommender.Operations.Publishing;

/// <summary>How a version is laid out over grains when it is published.</summary>
public sealed record PublishOptions
{
    public const int MaxShards = 4096;

    /// <summary>Candidate shards the movies are split over; each recommendation fans out to all of them (null: by <see cref="ShardLayout"/>).</summary>
    public int? CandidateShards { get; init; }

    /// <summary>User shards the users' query embeddings are split over (null: by <see cref="ShardLayout"/>).</summary>
    public int? UserShards { get; init; }

    /// <summary>Upper bound of one push message's vector payload, far below Orleans' 100 MB message limit.</summary>
    public int ChunkBytes { get; init; } = 4 << 20;

    /// <summary>How many popular movies are kept for users the model does not know.</summary>
    public int PopularCount { get; init; } = 1000;

    /// <summary>The index every candidate shard of the version builds (<c>auto</c>: chosen by the shard's size).</summary>
    public IndexSpec Index { get; init; } = IndexSpec.Auto;

    public void Validate(int itemCount)
    {
        ArgumentNullException.ThrowIfNull(Index);
        if (CandidateShards is < 1 || CandidateShards > Math.Max(1, itemCount))
            throw new ArgumentOutOfRangeException(nameof(CandidateShards), CandidateShards, $"The shard count must be between 1 and the number of movies ({itemCount}).");
        if (UserShards is < 1 or > MaxShards)
            throw new ArgumentOutOfRangeException(nameof(UserShards), UserShards, $"The user shard count must be between 1 and {MaxShards}.");
        if (ChunkBytes < 1024)
            throw new ArgumentOutOfRangeException(nameof(ChunkBytes), ChunkBytes, "Chunks must hold at least 1 KiB.");
        // Lists are cut from one shard's rows: the smallest shard must have a row per list.
        var smallestShard = itemCount / Math.Max(1, CandidateShards ?? 1);
        if (Index.Lists is { } lists && lists > smallestShard)
            throw new ArgumentOutOfRangeException(nameof(Index), Index.ToString(),
                $"The index '{Index}' asks for {lists} IVF lists, but the smallest of the {CandidateShards ?? 1} shards holds {smallestShard} movies; use fewer lists or fewer shards.");
    }

    /// <summary>These options with every shard count set: the given ones, the rest by <see cref="ShardLayout"/> for this catalogue on <paramref name="silos"/> silos.</summary>
    public PublishOptions WithLayoutFor(int movies, int users, int dimension, int silos) => this with
    {
        CandidateShards = CandidateShards ?? ShardLayout.CandidateShards(movies, dimension, silos),
        UserShards = UserShards ?? ShardLayout.UserShards(users, silos),
    };
}
