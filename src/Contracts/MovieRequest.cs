namespace MovieRecommender.Contracts;

/// <summary>The body of <c>PUT /v1/movies/{id}</c>: the features the candidate tower embeds the movie from.</summary>
public sealed record MovieRequest(string? Title, string[]? Genres, int? Year);
