using System.Collections.Immutable;

namespace MovieRecommender.Grains.Ratings;

/// <summary>A user log partition's durable state: how many segments it sealed, and its open segment.</summary>
[GenerateSerializer]
public sealed record RatingLogState
{
    [Id(0)] public int SealedSegments { get; init; }
    [Id(1)] public ImmutableList<UserLogEntry> Open { get; init; } = [];
}

/// <summary>A sealed segment's durable state.</summary>
[GenerateSerializer]
public sealed record RatingLogSegmentState
{
    [Id(0)] public UserLogEntry[] Entries { get; init; } = [];
}

/// <summary>A partition's erasures, for an audit; written only by an erasure, so it costs appends nothing.</summary>
[GenerateSerializer]
public sealed record ErasureLogState
{
    [Id(0)] public ImmutableList<ErasureRecord> Records { get; init; } = [];
}
