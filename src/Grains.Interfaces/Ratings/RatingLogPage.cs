namespace MovieRecommender.Grains;

/// <summary>One segment of a user log partition, in log order; <see cref="IsLast"/> on the open segment.</summary>
[GenerateSerializer, Immutable]
public sealed record RatingLogPage(
    [property: Id(0)] UserLogEntry[] Entries,
    [property: Id(1)] bool IsLast);
