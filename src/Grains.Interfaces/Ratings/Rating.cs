namespace MovieRecommender.Grains;

/// <summary>One rating recorded after training: folded into the user's query at once, and exported for the next training run.</summary>
[GenerateSerializer, Immutable]
public sealed record Rating(
    [property: Id(0)] string UserId,
    [property: Id(1)] string MovieId,
    [property: Id(2)] double Value,
    [property: Id(3)] DateTimeOffset At);
