using System.ComponentModel.DataAnnotations;

namespace MovieRecommender.Contracts;

/// <summary>
/// The body of <c>POST /v1/ratings</c>: many users' ratings in one request, 1 to <see cref="MaxRatings"/> of them.
/// Every item is checked before any is recorded.
/// </summary>
/// <remarks>The length attributes put the limits in the OpenAPI document; the route checks them (with the problem's wording).</remarks>
public sealed record RatingBatchRequest([property: MinLength(1), MaxLength(RatingBatchRequest.MaxRatings)] IReadOnlyList<UserRatingRequest?>? Ratings)
{
    /// <summary>The most ratings one request may carry: enough for a client's bulk upload, small enough to answer in one response.</summary>
    public const int MaxRatings = 1000;
}
