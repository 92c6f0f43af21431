using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Logging;
using MovieRecommender.Contracts;
using MovieRecommender.HttpApi.Security;

namespace MovieRecommender.HttpApi.Routes;

/// <summary>
/// <c>POST /v1/ratings</c>: many users' ratings in one request, for clients that send them in bulk. Every item is
/// checked before any is recorded (one bad item refuses the request, nothing recorded); then each is recorded as
/// <c>POST /v1/users/{id}/ratings</c> records one, and an item the cluster refuses (a movie not in the catalogue)
/// fails alone, listed in the answer.
/// </summary>
public static class RatingRoutes
{
    private const string LogCategory = "MovieRecommender.HttpApi.Ratings";

    public static void MapRatingRoutes(this RouteGroupBuilder v1)
    {
        v1.MapPost("/ratings", RateMany)
            .WithTags("users")
            .RequireAuthorization(ApiKeyAuthentication.ClientPolicy)
            .WithName("RateMovies")
            .WithSummary($"Record up to {RatingBatchRequest.MaxRatings} ratings of any users at once: all checked first, then each recorded as POST /v1/users/{{id}}/ratings records one; the answer lists those not recorded.")
            .WithMetadata(new BodyExample(BodyExample.Ratings))
            .Produces<RatingsRecorded>()
            .ProducesProblem(StatusCodes.Status400BadRequest);
    }

    /// <summary>One checked item of the request, at its index.</summary>
    private readonly record struct CheckedRating(int Index, string UserId, string MovieId, double Rating);

    private static async Task<IResult> RateMany(RatingBatchRequest? body, [FromServices] IGrainFactory grains, [FromServices] ILoggerFactory logs)
    {
        if (body is null) return ApiProblems.BadParameter("body", $"The body is missing: send JSON such as {BodyExample.Ratings}.");
        if (!TryCheck(body.Ratings, out var ratings, out var problem)) return problem!;

        var failed = await RecordAsync(grains, ratings, logs.CreateLogger(LogCategory));
        return TypedResults.Ok(new RatingsRecorded(ratings.Count - failed.Count, failed));
    }

    /// <summary>Every item, or the problem of the first bad one, named by its index and field (<c>ratings[3].rating</c>).</summary>
    private static bool TryCheck(IReadOnlyList<UserRatingRequest?>? items, out List<CheckedRating> ratings, out IResult? problem)
    {
        const int max = RatingBatchRequest.MaxRatings;
        ratings = [];
        if (items is null || items.Count == 0)
        {
            problem = ApiProblems.BadParameter("ratings", $"ratings expects a list of 1 to {max} ratings, got none: send JSON such as {BodyExample.Ratings}.");
            return false;
        }
        if (items.Count > max)
        {
            problem = ApiProblems.BadParameter("ratings", $"ratings expects at most {max} ratings in one request, got {items.Count}: send them in requests of {max} or fewer.");
            return false;
        }
        for (var i = 0; i < items.Count; i++)
        {
            var at = $"ratings[{i}]";
            if (items[i] is not { } item)
            {
                problem = ApiProblems.BadParameter(at, $"{at} is null: give each rating as {{\"userId\": 42, \"movieId\": 50, \"rating\": 5}}.");
                return false;
            }
            if (!QueryValues.TryId(item.UserId ?? "", $"{at}.userId", "42", out problem)) return false;
            if (!QueryValues.TryId(item.MovieId ?? "", $"{at}.movieId", "50", out problem)) return false;
            if (!QueryValues.TryNumber(item.Rating, $"{at}.rating", IUserGrain.MinRating, IUserGrain.MaxRating, out problem)) return false;
            ratings.Add(new CheckedRating(i, item.UserId!, item.MovieId!, item.Rating!.Value));
        }
        problem = null;
        return true;
    }

    /// <summary>
    /// Each user's ratings one after the other, in the request's order (a user grain takes one call at a time anyway,
    /// and a later rating of the same movie must land last); different users at once. The failures, in index order.
    /// </summary>
    private static async Task<List<RatingNotRecorded>> RecordAsync(IGrainFactory grains, List<CheckedRating> ratings, ILogger log)
    {
        var perUser = await Task.WhenAll(ratings.GroupBy(r => r.UserId, StringComparer.Ordinal).Select(async user =>
        {
            var grain = grains.GetGrainFast<IUserGrain>(user.Key);
            var failed = new List<RatingNotRecorded>();
            foreach (var rating in user)
                if (await RecordAsync(grain, rating, log) is { } failure) failed.Add(failure);
            return failed;
        }));
        return perUser.SelectMany(f => f).OrderBy(f => f.Index).ToList();
    }

    /// <summary>One rating, with the single route's error mapping; null when recorded.</summary>
    private static async Task<RatingNotRecorded?> RecordAsync(IUserGrain user, CheckedRating rating, ILogger log)
    {
        IResult result;
        try
        {
            result = await GrainErrors.Call(async () =>
            {
                await user.Rate(rating.MovieId, rating.Rating);
                return TypedResults.Ok();
            }, unknownMovie: true);
        }
        catch (Exception e)
        {
            // What the single route would answer 500 for: this item alone fails, so the caller still learns which
            // others were recorded and resends only the failed ones (sending the whole batch again would record them twice).
            log.LogError(e, "The rating of movie {MovieId} (item {Index} of a batch) failed", rating.MovieId, rating.Index);
            return new RatingNotRecorded(rating.Index, StatusCodes.Status500InternalServerError, "The rating was not recorded",
                $"An unexpected error ({e.GetType().Name}) in the silo; its log has it. Send this rating again.");
        }
        return result is ProblemHttpResult problem
            ? new RatingNotRecorded(rating.Index, problem.StatusCode, problem.ProblemDetails.Title ?? "", problem.ProblemDetails.Detail ?? "")
            : null;
    }
}
