namespace MovieRecommender.Grains;

/// <summary>
/// A change to the catalogue made while serving, as the live catalogue records it: a movie put (added, or a known
/// one's features changed) or taken down. <see cref="Sequence"/> is the movie's place in its partition, fixed at its
/// first put: a movie no version knows is served at row <c>ItemCount + Sequence x Partitions + Partition</c>
/// (<see cref="LiveRows"/>), the same row on every silo and after every restart.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record LiveMovie(
    [property: Id(0)] string Id,
    // Null for a takedown of a movie only the version knows.
    [property: Id(1)] MovieDescription? Description,
    [property: Id(2)] bool TakenDown,
    [property: Id(3)] long Sequence,
    [property: Id(4)] DateTimeOffset ChangedAt);
