using System.Collections.Immutable;

namespace MovieRecommender.Grains;

/// <summary>The rating log's durable state.</summary>
[GenerateSerializer]
public sealed record RatingLogState
{
    [Id(0)] public ImmutableList<Rating> Ratings { get; init; } = [];
}
