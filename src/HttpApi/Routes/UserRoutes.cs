using System.ComponentModel;
using Microsoft.AspNetCore.Mvc;
using MovieRecommender.Contracts;
using MovieRecommender.HttpApi.Security;

namespace MovieRecommender.HttpApi.Routes;

/// <summary><c>/v1/users/{id}</c>: a user's recommendations, recording a rating, and the user's profile, over <see cref="IUserGrain"/>.</summary>
public static class UserRoutes
{
    public static void MapUserRoutes(this RouteGroupBuilder v1)
    {
        var users = v1.MapGroup("/users/{id}").WithTags("users").RequireAuthorization(ApiKeyAuthentication.ClientPolicy);
        users.MapGet("/recommendations", Recommend)
            .WithName("GetRecommendations")
            .WithSummary("A user's top K movies, movies seen in training or rated since excluded; the same object as 'recommend --json'.")
            .Produces<RecommendationJson>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        users.MapPost("/ratings", Rate)
            .WithName("RateMovie")
            .WithSummary("Record a user's rating of a movie (0.5 to 5 stars): durable at once, excluded from the next recommendation.")
            .WithMetadata(new BodyExample(BodyExample.Rating))
            .Produces<RatingRecorded>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound);
        users.MapPut("", SetProfile)
            .WithName("PutUserProfile")
            .WithSummary("Record a user's age, gender, occupation and zip: a user the model does not know is then served from the query tower's embedding of them.")
            .WithMetadata(new BodyExample(BodyExample.Profile))
            .Produces<UserProfileRequest>()
            .ProducesProblem(StatusCodes.Status400BadRequest);
    }

    private static async Task<IResult> SetProfile(
        [Description("A user id (a positive integer, e.g. 5000).")] string id,
        UserProfileRequest? body,
        [FromServices] IGrainFactory grains)
    {
        if (!QueryValues.TryId(id, "userId", "5000", out var problem)) return problem!;
        if (body is null) return ApiProblems.BadParameter("body", $"The body is missing: send JSON such as {BodyExample.Profile}.");
        var demographics = new UserDemographics(body.Age, Blank(body.Gender), Blank(body.Occupation), Blank(body.Zip));
        if (demographics.Problem() is { } wrong) return ApiProblems.BadParameter("body", wrong);
        return await GrainErrors.Call(async () =>
        {
            await grains.GetGrainFast<IUserGrain>(id).SetProfile(demographics);
            return TypedResults.Ok(body);
        });
    }

    private static string? Blank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();

    private static async Task<IResult> Recommend(
        [Description("A MovieLens user id (a positive integer, e.g. 42). A user the model does not know gets the most popular movies, source 'popular'.")] string id,
        [Description("How many movies: an integer from 1 to 1000; default 10.")] string? k,
        [Description("Only movies of this genre, one the active version's catalogue has, e.g. Comedy.")] string? genre,
        [Description("Only movies released in or after this year (1800 to 2100).")] string? yearFrom,
        [Description("Only movies released in or before this year (1800 to 2100).")] string? yearTo,
        [Description("IVF lists probed per shard (1 to 256), for an operator trading speed for recall; default: the version's own.")] string? probe,
        [FromServices] IGrainFactory grains, [FromServices] GenreCatalog genres)
    {
        if (!QueryValues.TryId(id, "userId", "42", out var problem)) return problem!;
        if (!new MovieListQuery(k, genre, yearFrom, yearTo).TryRead(out var count, out var filter, out problem)) return problem!;
        if (!QueryValues.TryInteger(probe, "probe", int.MinValue, int.MaxValue, null, out var probes, out problem)) return problem!;
        var tuning = new SearchTuning(Probe: probes);
        if (tuning.Problem() is { } wrong) return ApiProblems.BadParameter("probe", wrong);

        return await MovieListAnswer.AskAsync(genres, filter, () => grains.GetGrainFast<IUserGrain>(id).Recommend(count, filter, tuning));
    }

    private static async Task<IResult> Rate(
        [Description("A MovieLens user id (a positive integer, e.g. 42).")] string id,
        RatingRequest? body,
        [FromServices] IGrainFactory grains)
    {
        if (!QueryValues.TryId(id, "userId", "42", out var problem)) return problem!;
        if (body is null) return ApiProblems.BadParameter("body", $"The body is missing: send JSON such as {BodyExample.Rating}.");
        if (!QueryValues.TryId(body.MovieId ?? "", "movieId", "50", out problem)) return problem!;
        if (!QueryValues.TryNumber(body.Rating, "rating", IUserGrain.MinRating, IUserGrain.MaxRating, out problem)) return problem!;

        return await GrainErrors.Call(async () =>
        {
            await grains.GetGrainFast<IUserGrain>(id).Rate(body.MovieId!, body.Rating!.Value);
            return TypedResults.Ok(new RatingRecorded(id, body.MovieId!, body.Rating!.Value));
        }, unknownMovie: true);
    }
}
