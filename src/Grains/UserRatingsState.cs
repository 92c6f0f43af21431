using System.Collections.Immutable;

namespace MovieRecommender.Grains;

/// <summary>A user grain's durable state: the ratings recorded since training, oldest first, and the profile the user gave.</summary>
[GenerateSerializer]
public sealed record UserRatingsState
{
    [Id(0)] public ImmutableList<Rating> Ratings { get; init; } = [];

    /// <summary>What the user told of themselves (<see cref="IUserGrain.SetProfile"/>), if anything.</summary>
    [Id(1)] public UserDemographics? Demographics { get; init; }
}
