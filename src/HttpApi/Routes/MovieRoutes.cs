using System.ComponentModel;
using Microsoft.AspNetCore.Mvc;
using MovieRecommender.Contracts;
using MovieRecommender.HttpApi.Security;

namespace MovieRecommender.HttpApi.Routes;

/// <summary><c>/v1/movies/{id}/similar</c>: the movies nearest a movie's candidate embedding, over <see cref="IMovieGrain"/>.</summary>
public static class MovieRoutes
{
    public static void MapMovieRoutes(this RouteGroupBuilder v1)
    {
        v1.MapGet("/movies/{id}/similar", Similar)
            .WithTags("movies")
            .RequireAuthorization(ApiKeyAuthentication.ClientPolicy)
            .WithName("GetSimilarMovies")
            .WithSummary("The K movies most similar to a movie (dot product of candidate embeddings), itself excluded; the same object as 'similar --json'.")
            .Produces<RecommendationJson>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
    }

    private static async Task<IResult> Similar(
        [Description("A MovieLens movie id (a positive integer, e.g. 50, Star Wars in ML-100K).")] string id,
        [Description("How many movies: an integer from 1 to 1000; default 10.")] string? k,
        [Description("Only movies of this genre, one the active version's catalogue has, e.g. Comedy.")] string? genre,
        [Description("Only movies released in or after this year (1800 to 2100).")] string? yearFrom,
        [Description("Only movies released in or before this year (1800 to 2100).")] string? yearTo,
        [FromServices] IGrainFactory grains, [FromServices] GenreCatalog genres)
    {
        if (!QueryValues.TryId(id, "movieId", "50", out var problem)) return problem!;
        if (!new MovieListQuery(k, genre, yearFrom, yearTo).TryRead(out var count, out var filter, out problem)) return problem!;

        return await MovieListAnswer.AskAsync(genres, filter, () => grains.GetGrainFast<IMovieGrain>(id).Similar(count, filter), unknownMovie: true);
    }
}
