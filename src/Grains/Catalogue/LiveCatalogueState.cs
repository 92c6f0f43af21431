using System.Collections.Immutable;

namespace MovieRecommender.Grains.Catalogue;

/// <summary>A live catalogue partition's durable state: how many segments it sealed, its open segment, the next movie's sequence.</summary>
[GenerateSerializer]
public sealed record LiveCatalogueState
{
    [Id(0)] public int SealedSegments { get; init; }
    [Id(1)] public ImmutableList<LiveMovie> Open { get; init; } = [];
    [Id(2)] public long NextSequence { get; init; }
}

/// <summary>A sealed segment's durable state.</summary>
[GenerateSerializer]
public sealed record LiveCatalogueSegmentState
{
    [Id(0)] public LiveMovie[] Changes { get; init; } = [];
}
