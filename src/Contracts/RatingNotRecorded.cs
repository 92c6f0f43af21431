namespace MovieRecommender.Contracts;

/// <summary>A rating of a <c>POST /v1/ratings</c> request that was not recorded, and why, as the single route's problem would say it.</summary>
/// <param name="Index">Its position in the request's <c>ratings</c> (0 = first).</param>
/// <param name="Status">The HTTP status the single route would have answered (404: a movie not in the catalogue; 503: try again).</param>
/// <param name="Title">The kind of error, as a problem's title: <c>Unknown movie</c>.</param>
/// <param name="Detail">What was wrong and what to do, as a problem's detail.</param>
public sealed record RatingNotRecorded(int Index, int Status, string Title, string Detail);
