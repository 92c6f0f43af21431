namespace MovieRecommender.Grains;

/// <summary>An erasure, for an audit: whose data was erased and when; nothing of the data itself.</summary>
[GenerateSerializer, Immutable]
public sealed record ErasureRecord(
    [property: Id(0)] string UserId,
    [property: Id(1)] DateTimeOffset At);
