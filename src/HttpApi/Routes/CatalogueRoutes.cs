using System.ComponentModel;
using Microsoft.AspNetCore.Mvc;
using MovieRecommender.Contracts;
using MovieRecommender.HttpApi.Security;

namespace MovieRecommender.HttpApi.Routes;

/// <summary>
/// <c>PUT</c> and <c>DELETE /v1/movies/{id}</c> (operator key): the live catalogue, over <see cref="ILiveCatalogueGrain"/>.
/// A put movie is in every answer, and a taken-down one in none, once the call returns.
/// </summary>
public static class CatalogueRoutes
{
    public static void MapCatalogueRoutes(this RouteGroupBuilder v1)
    {
        var movies = v1.MapGroup("/movies/{id}").WithTags("catalogue").RequireAuthorization(ApiKeyAuthentication.OperatorPolicy);
        movies.MapPut("", Put)
            .WithName("PutMovie")
            .WithSummary("Add a movie, or change a known one's title, genres and year, while serving: embedded by the active version's candidate tower and served at once.")
            .WithMetadata(new BodyExample(BodyExample.Movie))
            .Produces<LiveMovieJson>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        movies.MapDelete("", TakeDown)
            .WithName("TakeDownMovie")
            .WithSummary("Take a movie down: in no answer from the moment this returns, across restarts and later publishes, until it is put again.")
            .Produces(StatusCodes.Status204NoContent)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
    }

    private static async Task<IResult> Put(
        [Description("The movie's id (a positive integer); a new id adds a movie, a known one changes it.")] string id,
        MovieRequest? body,
        [FromServices] IGrainFactory grains)
    {
        if (!QueryValues.TryId(id, "movieId", "1683", out var problem)) return problem!;
        if (body is null) return ApiProblems.BadParameter("body", $"The body is missing: send JSON such as {BodyExample.Movie}.");
        if (body.Year is null) return ApiProblems.BadParameter("year", "The year is missing: give the release year, 1800 to 2100.");
        var description = new MovieDescription(body.Title?.Trim() ?? "", body.Genres ?? [], body.Year.Value);
        if (description.Problem() is { } wrong) return ApiProblems.BadParameter("body", wrong);

        return await GrainErrors.Call(async () =>
            TypedResults.Ok(Json(await ILiveCatalogueGrain.For(grains, id).Put(id, description))));
    }

    private static async Task<IResult> TakeDown(
        [Description("The movie's id (a positive integer).")] string id,
        [FromServices] IGrainFactory grains)
    {
        if (!QueryValues.TryId(id, "movieId", "50", out var problem)) return problem!;
        return await GrainErrors.Call(async () => await ILiveCatalogueGrain.For(grains, id).TakeDown(id)
            ? TypedResults.NoContent()
            : ApiProblems.NotFound("Unknown movie", $"Movie '{id}' is neither in the active version's catalogue nor in the live catalogue; nothing to take down."));
    }

    public static LiveMovieJson Json(LiveMovie movie) =>
        new(movie.Id, movie.Description?.Title, movie.Description?.Genres, movie.Description?.Year, movie.TakenDown, movie.ChangedAt);
}
