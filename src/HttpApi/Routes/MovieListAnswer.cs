using System.Diagnostics;
using MovieRecommender.Contracts;

namespace MovieRecommender.HttpApi.Routes;

/// <summary>
/// How a route that answers with movies (a user's recommendations, a movie's similar ones) asks its grain: the genre
/// checked against the active version first, then the grain, its answer as <see cref="RecommendationJson"/> with the
/// time the grain took; a failure the caller can act on as a problem (<see cref="GrainErrors"/>).
/// </summary>
internal static class MovieListAnswer
{
    public static Task<IResult> AskAsync(GenreCatalog genres, MovieFilter filter, Func<Task<Recommendation>> ask, bool unknownMovie = false) =>
        GrainErrors.Call(async () =>
        {
            if (await genres.Check(filter) is { } unknownGenre) return unknownGenre;
            var started = Stopwatch.GetTimestamp();
            var answer = await ask();
            return TypedResults.Ok(RecommendationJson.From(answer, Stopwatch.GetElapsedTime(started)));
        }, unknownMovie);
}
