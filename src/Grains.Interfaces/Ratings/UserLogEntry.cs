namespace MovieRecommender.Grains;

/// <summary>One entry of the user log: a rating (<see cref="MovieId"/> and <see cref="Value"/>) or a profile the user gave.</summary>
[GenerateSerializer, Immutable]
public sealed record UserLogEntry(
    [property: Id(0)] string UserId,
    [property: Id(1)] DateTimeOffset At,
    [property: Id(2)] string? MovieId = null,
    [property: Id(3)] double Value = 0,
    [property: Id(4)] UserDemographics? Profile = null)
{
    public bool IsRating => MovieId is not null;

    public static UserLogEntry Of(Rating rating) => new(rating.UserId, rating.At, rating.MovieId, rating.Value);

    public static UserLogEntry Of(string userId, UserDemographics profile, DateTimeOffset at) => new(userId, at, Profile: profile);

    /// <summary>The rating this entry records (only when <see cref="IsRating"/>).</summary>
    public Rating ToRating() => new(UserId, MovieId ?? throw new InvalidOperationException("This entry is a profile, not a rating."), Value, At);
}
