namespace MovieRecommender.Contracts;

/// <summary>
/// The answer to <c>POST /v1/ratings</c>: how many ratings were recorded (durably; each excluded from its user's next
/// recommendation), and each one that was not. A failed item does not stop the others: send only the failed ones again.
/// </summary>
/// <param name="Recorded">How many of the request's ratings were recorded.</param>
/// <param name="Failed">The ratings not recorded, by their index in the request, in index order; empty when all were.</param>
public sealed record RatingsRecorded(int Recorded, IReadOnlyList<RatingNotRecorded> Failed);
