using System.Text.Json.Serialization;

namespace MovieRecommender.Contracts;

/// <summary>The body of <c>POST /v1/users/{id}/ratings</c>: the movie (its id as a JSON number or string) and its rating in stars (0.5 to 5).</summary>
public sealed record RatingRequest([property: JsonConverter(typeof(JsonIdConverter))] string? MovieId, double? Rating);
