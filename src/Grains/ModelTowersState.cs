namespace MovieRecommender.Grains;

/// <summary>A towers grain's durable state: what the publisher pushed for its version.</summary>
[GenerateSerializer]
public sealed record ModelTowersState
{
    [Id(0)] public ModelTowers? Towers { get; init; }
}
