using System.Net;
using System.Text;
using System.Text.Json;

namespace MovieRecommender.HttpApi.Tests;

/// <summary>
/// Ratings as clients write them: ids as JSON numbers or strings, one rating per request or many at once
/// (<c>POST /v1/ratings</c>). Each test rates as users of its own that the model does not know (77777xxx), so no
/// other test's answer changes.
/// </summary>
[Collection(HttpApiCollection.Name)]
public sealed class RatingRoutesTests(HttpApiFixture fixture)
{
    private HttpClient Http => fixture.Silo.Http;

    [Fact]
    public async Task AMovieIdGivenAsANumberIsTheSameMovieAsItsString()
    {
        const string byNumber = "77777101", byString = "77777102";
        var top = (await PopularAsync(byNumber))[0];

        var recorded = await Problems.Json(await PostAsync($"v1/users/{byNumber}/ratings", $"{{\"movieId\": {top}, \"rating\": 4}}"));
        Assert.Equal(top, recorded.GetProperty("movieId").GetString());
        await Problems.Json(await PostAsync($"v1/users/{byString}/ratings", $"{{\"movieId\": \"{top}\", \"rating\": 4}}"));

        // Same single rating, same answer: the number was read as the very id the string names.
        var afterNumber = await RecommendedAsync(byNumber);
        Assert.Equal("ratings", afterNumber.Source);
        Assert.DoesNotContain(top, afterNumber.Items);
        var afterString = await RecommendedAsync(byString);
        Assert.Equal(afterString.Source, afterNumber.Source);
        Assert.Equal(afterString.Items, afterNumber.Items);
    }

    [Theory]
    [InlineData("5.5", "movieId expects a movie id (a positive integer, e.g. 50), got 5.5, not a whole number.")]
    [InlineData("50.0", "movieId expects a movie id (a positive integer, e.g. 50), got 50.0, not a whole number.")]
    [InlineData("true", "movieId expects a movie id (a positive integer, e.g. 50), got true.")]
    [InlineData("{\"id\": 50}", "movieId expects a movie id (a positive integer, e.g. 50), got an object.")]
    [InlineData("-3", "movieId expects a movie id (a positive integer, e.g. 50), got '-3'.")]
    public async Task AMovieIdThatIsNoIdIsA400NamingTheField(string movieId, string detail)
    {
        var problem = await Problems.Expect(await PostAsync("v1/users/77777103/ratings", $"{{\"movieId\": {movieId}, \"rating\": 4}}"), HttpStatusCode.BadRequest);
        Assert.Equal("Invalid request parameter", problem.GetProperty("title").GetString());
        Assert.Equal("movieId", problem.GetProperty("parameter").GetString());
        Assert.Equal(detail, problem.Detail());
        await AssertNothingRecordedAsync("77777103", await PopularAsync("77777104"));
    }

    [Fact]
    public async Task ABatchIsRecordedWholeAndItsMoviesExcludedForEachUser()
    {
        const string first = "77777201", second = "77777202";
        var popular = await PopularAsync(first);
        var body = Batch((first, popular[0], 5), (second, popular[1], 3.5), (first, $"\"{popular[2]}\"", 4), ($"\"{second}\"", popular[3], 0.5));

        var answer = await Problems.Json(await PostAsync("v1/ratings", body));
        Assert.Equal(4, answer.GetProperty("recorded").GetInt32());
        Assert.Equal(0, answer.GetProperty("failed").GetArrayLength());

        var firstAfter = await RecommendedAsync(first);
        Assert.Equal("ratings", firstAfter.Source);
        Assert.DoesNotContain(popular[0], firstAfter.Items);
        Assert.DoesNotContain(popular[2], firstAfter.Items);
        var secondAfter = await RecommendedAsync(second);
        Assert.Equal("ratings", secondAfter.Source);
        Assert.DoesNotContain(popular[1], secondAfter.Items);
        Assert.DoesNotContain(popular[3], secondAfter.Items);
    }

    [Theory]
    [InlineData("{\"userId\": 77777301, \"movieId\": 50, \"rating\": 9}", "ratings[1].rating", "ratings[1].rating expects a number from 0.5 to 5, got 9.")]
    [InlineData("{\"userId\": 77777301, \"movieId\": 50}", "ratings[1].rating", "ratings[1].rating expects a number from 0.5 to 5, got nothing.")]
    [InlineData("{\"userId\": true, \"movieId\": 50, \"rating\": 3}", "ratings[1].userId", "ratings[1].userId expects a user id (a positive integer, e.g. 42), got true.")]
    [InlineData("{\"userId\": -3, \"movieId\": 50, \"rating\": 3}", "ratings[1].userId", "ratings[1].userId expects a user id (a positive integer, e.g. 42), got '-3'.")]
    [InlineData("{\"userId\": 77777301, \"movieId\": 2.5, \"rating\": 3}", "ratings[1].movieId", "ratings[1].movieId expects a movie id (a positive integer, e.g. 50), got 2.5, not a whole number.")]
    [InlineData("{\"userId\": 77777301, \"rating\": 3}", "ratings[1].movieId", "ratings[1].movieId expects a movie id (a positive integer, e.g. 50), got ''.")]
    [InlineData("null", "ratings[1]", "ratings[1] is null: give each rating as {\"userId\": 42, \"movieId\": 50, \"rating\": 5}.")]
    public async Task AnInvalidItemRefusesTheWholeBatchNamingItsIndexAndField(string badItem, string parameter, string detail)
    {
        const string user = "77777301";
        var popular = await PopularAsync(user);
        var body = $"{{\"ratings\": [{{\"userId\": {user}, \"movieId\": {popular[0]}, \"rating\": 5}}, {badItem}, {{\"userId\": {user}, \"movieId\": {popular[1]}, \"rating\": 4}}]}}";

        var problem = await Problems.Expect(await PostAsync("v1/ratings", body), HttpStatusCode.BadRequest);
        Assert.Equal("Invalid request parameter", problem.GetProperty("title").GetString());
        Assert.Equal(parameter, problem.GetProperty("parameter").GetString());
        Assert.Equal(detail, problem.Detail());
        // Nothing recorded: the valid items around the bad one neither.
        await AssertNothingRecordedAsync(user, popular);
    }

    [Fact]
    public async Task AnUnknownMovieFailsOnlyItsItem()
    {
        const string user = "77777401";
        var popular = await PopularAsync(user);
        var body = Batch((user, popular[0], 5), (user, "424242", 4), (user, popular[1], 3));

        var answer = await Problems.Json(await PostAsync("v1/ratings", body));
        Assert.Equal(2, answer.GetProperty("recorded").GetInt32());
        var failed = Assert.Single(answer.GetProperty("failed").EnumerateArray());
        Assert.Equal(1, failed.GetProperty("index").GetInt32());
        Assert.Equal(404, failed.GetProperty("status").GetInt32());
        Assert.Equal("Unknown movie", failed.GetProperty("title").GetString());
        Assert.Equal($"Movie '424242' is not in the catalogue of version {fixture.Published.Version}.", failed.GetProperty("detail").GetString());

        // The ratings before and after the failed one, the same user's, were recorded.
        var after = await RecommendedAsync(user);
        Assert.Equal("ratings", after.Source);
        Assert.DoesNotContain(popular[0], after.Items);
        Assert.DoesNotContain(popular[1], after.Items);
    }

    [Fact]
    public async Task MoreRatingsThanTheLimitOrNoneAreRefused()
    {
        const string user = "77777501";
        var popular = await PopularAsync(user);
        var tooMany = Batch(Enumerable.Range(0, 1001).Select(i => (user, popular[i % popular.Length], 4.0)).ToArray());

        var problem = await Problems.Expect(await PostAsync("v1/ratings", tooMany), HttpStatusCode.BadRequest);
        Assert.Equal("ratings", problem.GetProperty("parameter").GetString());
        Assert.Equal("ratings expects at most 1000 ratings in one request, got 1001: send them in requests of 1000 or fewer.", problem.Detail());
        await AssertNothingRecordedAsync(user, popular);

        var none = await Problems.Expect(await PostAsync("v1/ratings", "{\"ratings\": []}"), HttpStatusCode.BadRequest);
        Assert.Equal("ratings", none.GetProperty("parameter").GetString());
        Assert.StartsWith("ratings expects a list of 1 to 1000 ratings, got none", none.Detail());
    }

    [Fact]
    public async Task ABatchBodyThatIsNotJsonIsShownTheBatchForm()
    {
        var problem = await Problems.Expect(await PostAsync("v1/ratings", "userId=42"), HttpStatusCode.BadRequest);
        Assert.Equal("Unreadable request body", problem.GetProperty("title").GetString());
        Assert.EndsWith("Send JSON such as {\"ratings\": [{\"userId\": 42, \"movieId\": 50, \"rating\": 5}, {\"userId\": 42, \"movieId\": 172, \"rating\": 4.5}]}.", problem.Detail());
    }

    [Fact]
    public async Task TheOpenApiDocumentSaysAnIdIsANumberOrAString()
    {
        var schemas = (await Problems.Json(await Http.GetAsync("openapi/v1.json"))).GetProperty("components").GetProperty("schemas");
        foreach (var (schema, property) in new[] { ("RatingRequest", "movieId"), ("UserRatingRequest", "userId"), ("UserRatingRequest", "movieId") })
        {
            var id = schemas.GetProperty(schema).GetProperty("properties").GetProperty(property);
            Assert.Equal(["integer", "string"], id.GetProperty("type").EnumerateArray().Select(t => t.GetString()).Order());
            Assert.Equal("^[1-9][0-9]*$", id.GetProperty("pattern").GetString());
        }
        var ratings = schemas.GetProperty("RatingBatchRequest").GetProperty("properties").GetProperty("ratings");
        Assert.Equal(1000, ratings.GetProperty("maxItems").GetInt32());
        Assert.Equal(1, ratings.GetProperty("minItems").GetInt32());
    }

    /// <summary>The most popular movies, what a user the model does not know and who has rated nothing is recommended.</summary>
    private async Task<string[]> PopularAsync(string user)
    {
        var (source, items) = await RecommendedAsync(user);
        Assert.Equal("popular", source);
        return items;
    }

    /// <summary>The user is still answered the popular movies, none excluded: no rating of theirs was recorded.</summary>
    private async Task AssertNothingRecordedAsync(string user, string[] popular)
    {
        var (source, items) = await RecommendedAsync(user);
        Assert.Equal("popular", source);
        Assert.Equal(popular, items);
    }

    private async Task<(string Source, string[] Items)> RecommendedAsync(string user)
    {
        var answer = await Problems.Json(await Http.GetAsync($"v1/users/{user}/recommendations?k=5"));
        return (answer.GetProperty("source").GetString()!,
            answer.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetString()!).ToArray());
    }

    /// <summary>A batch body; ids are written into the JSON as given (<c>50</c> a number, <c>"\"50\""</c> a string).</summary>
    private static string Batch(params (string UserId, string MovieId, double Rating)[] ratings) =>
        $"{{\"ratings\": [{string.Join(", ", ratings.Select(r => $"{{\"userId\": {r.UserId}, \"movieId\": {r.MovieId}, \"rating\": {JsonSerializer.Serialize(r.Rating)}}}"))}]}}";

    private Task<HttpResponseMessage> PostAsync(string path, string json) =>
        Http.PostAsync(path, new StringContent(json, Encoding.UTF8, "application/json"));
}
