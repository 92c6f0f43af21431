namespace MovieRecommender.Grains;

/// <summary>A shard's exact top K (brute force over its float32 rows) and the index tier its served answers use.</summary>
[GenerateSerializer, Immutable]
public sealed record ExactShardAnswer(
    [property: Id(0)] ScoredMovie[] Movies,
    [property: Id(1)] string Tier);
