namespace MovieRecommender.Grains;

/// <summary>One of the most popular movies (score = training interactions), with what filters look at.</summary>
[GenerateSerializer, Immutable]
public sealed record PopularMovie(
    [property: Id(0)] ScoredMovie Movie,
    [property: Id(1)] string[] Genres,
    [property: Id(2)] int Year);
