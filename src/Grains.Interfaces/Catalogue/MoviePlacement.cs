namespace MovieRecommender.Grains;

/// <summary>Where a movie lives in one version: its shard, and its row (<see cref="Known"/>: one of the artifact's movies).</summary>
[GenerateSerializer, Immutable]
public sealed record MoviePlacement(
    [property: Id(0)] int Shard,
    [property: Id(1)] int Row,
    [property: Id(2)] bool Known);
