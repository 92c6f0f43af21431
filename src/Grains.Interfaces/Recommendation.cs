using System.Collections.Immutable;

namespace MovieRecommender.Grains;

/// <summary>
/// A user's top K, best first. Every score comes from <see cref="ModelVersion"/> alone; for
/// <see cref="RecommendationSource.Popular"/> the score is the movie's training interaction count.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record Recommendation(
    [property: Id(0)] string UserId,
    [property: Id(1)] string ModelVersion,
    [property: Id(2)] RecommendationSource Source,
    [property: Id(3)] ImmutableArray<ScoredMovie> Movies,
    [property: Id(4)] int ShardsAnswered,
    [property: Id(5)] int ShardCount);
