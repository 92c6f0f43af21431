using System.Text.Json.Serialization;

namespace MovieRecommender.Contracts;

/// <summary>One rating of a <see cref="RatingBatchRequest"/>: who rated which movie (ids as JSON numbers or strings), in stars (0.5 to 5).</summary>
public sealed record UserRatingRequest(
    [property: JsonConverter(typeof(JsonIdConverter))] string? UserId,
    [property: JsonConverter(typeof(JsonIdConverter))] string? MovieId,
    double? Rating);
