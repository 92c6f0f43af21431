namespace MovieRecommender.Contracts;

/// <summary>The answer to a rating: what was recorded (durably; excluded from the user's next recommendation).</summary>
public sealed record RatingRecorded(string User, string MovieId, double Rating);
