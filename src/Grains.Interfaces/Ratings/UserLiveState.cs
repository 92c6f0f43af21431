using System.Collections.Immutable;

namespace MovieRecommender.Grains;

/// <summary>What the log holds of one user: the ratings recorded since training, oldest first, and the latest profile they gave.</summary>
[GenerateSerializer, Immutable]
public sealed record UserLiveState(
    [property: Id(0)] ImmutableList<Rating> Ratings,
    [property: Id(1)] UserDemographics? Demographics)
{
    public static UserLiveState Empty { get; } = new([], null);

    public bool IsEmpty => Ratings.IsEmpty && Demographics is null;

    public UserLiveState With(UserLogEntry entry) => entry.IsRating
        ? this with { Ratings = Ratings.Add(entry.ToRating()) }
        : this with { Demographics = entry.Profile };
}
