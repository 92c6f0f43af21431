namespace MovieRecommender.HttpApi.Problems;

/// <summary>
/// Endpoint metadata: a body the route reads, as JSON, which a problem about that route's body shows ("send JSON such
/// as ..."), so a caller of the batch route is not shown a single rating.
/// </summary>
public sealed record BodyExample(string Json)
{
    public const string Rating = "{\"movieId\": 50, \"rating\": 5}";
    public const string Ratings = "{\"ratings\": [{\"userId\": 42, \"movieId\": 50, \"rating\": 5}, {\"userId\": 42, \"movieId\": 172, \"rating\": 4.5}]}";
    public const string Movie = "{\"title\": \"Arrival (2016)\", \"genres\": [\"Drama\", \"Sci-Fi\"], \"year\": 2016}";
    public const string Profile = "{\"age\": 30, \"gender\": \"F\", \"occupation\": \"writer\", \"zip\": \"94110\"}";
}
