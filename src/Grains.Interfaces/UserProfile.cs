namespace MovieRecommender.Grains;

/// <summary>One user's query embedding and seen movies (item rows, sorted) in one model version.</summary>
[GenerateSerializer, Immutable]
public sealed record UserProfile(
    [property: Id(0)] float[] Embedding,
    [property: Id(1)] int[] SeenRows);
