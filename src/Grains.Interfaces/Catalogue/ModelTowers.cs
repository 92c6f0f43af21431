namespace MovieRecommender.Grains;

/// <summary>
/// A version's towers as the publisher pushes them: <c>towers.json</c> and its tables (null without towers), and the
/// catalogue's ids in row order, from which the grain knows each movie's row and shard.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record ModelTowers(
    [property: Id(0)] ModelVersionInfo Model,
    [property: Id(1)] string? SettingsJson,
    [property: Id(2)] float[] MovieFeatures,
    [property: Id(3)] float[]? UserFeatures,
    [property: Id(4)] float[] MovieNorms,
    [property: Id(5)] string[] MovieIds);
