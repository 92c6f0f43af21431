using System.Collections.Immutable;

namespace MovieRecommender.Grains;

/// <summary>A user grain's durable state: the ratings recorded since training, oldest first.</summary>
[GenerateSerializer]
public sealed record UserRatingsState
{
    [Id(0)] public ImmutableList<Rating> Ratings { get; init; } = [];
}
