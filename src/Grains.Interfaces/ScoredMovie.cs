namespace MovieRecommender.Grains;

/// <summary>A movie and its score for one user. <see cref="Row"/> is the movie's row in the version's items.npy.</summary>
[GenerateSerializer, Immutable]
public sealed record ScoredMovie(
    [property: Id(0)] int Row,
    [property: Id(1)] string Id,
    [property: Id(2)] string Title,
    [property: Id(3)] float Score);
