namespace MovieRecommender.Grains;

/// <summary>A movie of one version: its row in items.npy, its title and its candidate embedding.</summary>
[GenerateSerializer, Immutable]
public sealed record MovieVector(
    [property: Id(0)] int Row,
    [property: Id(1)] string Id,
    [property: Id(2)] string Title,
    [property: Id(3)] float[] Embedding);
