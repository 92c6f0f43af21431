using System.ComponentModel;
using Microsoft.AspNetCore.Mvc;
using MovieRecommender.HttpApi.Security;

namespace MovieRecommender.HttpApi.Routes;

/// <summary><c>DELETE /v1/users/{id}</c> (operator key): the right to erasure, over <see cref="IUserGrain.Erase"/>.</summary>
public static class ErasureRoutes
{
    public static void MapErasureRoutes(this RouteGroupBuilder v1) =>
        v1.MapDelete("/users/{id}", Erase)
            .WithTags("users")
            .RequireAuthorization(ApiKeyAuthentication.OperatorPolicy)
            .WithName("EraseUser")
            .WithSummary("Erase everything the cluster keeps of a user (ratings, profile, their row of every kept version); recorded, who and when, without the data. The user is then served as one the model does not know.")
            .Produces(StatusCodes.Status204NoContent)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);

    private static async Task<IResult> Erase(
        [Description("The user's id (a positive integer).")] string id,
        [FromServices] IGrainFactory grains)
    {
        if (!QueryValues.TryId(id, "userId", "42", out var problem)) return problem!;
        return await GrainErrors.Call(async () => await grains.GetGrain<IUserGrain>(id).Erase()
            ? TypedResults.NoContent()
            : ApiProblems.NotFound("Unknown user", $"The cluster keeps nothing of user '{id}' (no rating, no profile, no row in a kept version); nothing was erased."));
    }
}
