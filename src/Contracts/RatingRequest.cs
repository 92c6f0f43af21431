namespace MovieRecommender.Contracts;

/// <summary>The body of <c>POST /v1/users/{id}/ratings</c>: the movie and its rating in stars (0.5 to 5).</summary>
public sealed record RatingRequest(string? MovieId, double? Rating);
