namespace MovieRecommender.Contracts;

/// <summary>A live catalogue change as the API and <c>export-catalogue</c> show it.</summary>
public sealed record LiveMovieJson(string MovieId, string? Title, string[]? Genres, int? Year, bool TakenDown, DateTimeOffset ChangedAt);
