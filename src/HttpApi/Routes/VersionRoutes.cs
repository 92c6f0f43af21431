using System.ComponentModel;
using Microsoft.AspNetCore.Mvc;
using MovieRecommender.Contracts;
using MovieRecommender.HttpApi.Security;

namespace MovieRecommender.HttpApi.Routes;

/// <summary>
/// <c>/v1/versions</c>: every version and the active one (as <c>versions</c> and <c>active</c>), and for operators,
/// activating a kept version and rolling back (as <c>rollback</c>), over <see cref="IModelRegistryGrain"/>.
/// </summary>
public static class VersionRoutes
{
    public static void MapVersionRoutes(this RouteGroupBuilder v1)
    {
        var versions = v1.MapGroup("/versions").WithTags("versions");
        versions.MapGet("/", List).RequireAuthorization(ApiKeyAuthentication.ClientPolicy)
            .WithName("ListVersions").WithSummary("Every model version the cluster knows, newest first, with status, size and evaluation.")
            .Produces<VersionJson[]>();
        versions.MapGet("/active", Active).RequireAuthorization(ApiKeyAuthentication.ClientPolicy)
            .WithName("GetActiveVersion").WithSummary("The serving version with its evaluation table.")
            .Produces<VersionJson>().ProducesProblem(StatusCodes.Status404NotFound);
        versions.MapPost("/{version}/activate", Activate).RequireAuthorization(ApiKeyAuthentication.OperatorPolicy)
            .WithName("ActivateVersion").WithSummary("Operators: make a kept version (the active or the previous one) serve, in one step.")
            .Produces<VersionJson>().ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        versions.MapPost("/rollback", Rollback).RequireAuthorization(ApiKeyAuthentication.OperatorPolicy)
            .WithName("Rollback").WithSummary("Operators: make the previous version active again, in one step (as 'rollback').")
            .Produces<VersionJson>().ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status409Conflict);
    }

    private static IModelRegistryGrain Registry(IGrainFactory grains) => grains.GetGrain<IModelRegistryGrain>(IModelRegistryGrain.DefaultKey);

    private static Task<IResult> List([FromServices] IGrainFactory grains) =>
        GrainErrors.Call(async () => TypedResults.Ok((await Registry(grains).ListVersions()).Select(VersionJson.From).ToArray()));

    private static Task<IResult> Active([FromServices] IGrainFactory grains) =>
        GrainErrors.Call(async () => await ActiveOrProblem(grains));

    private static async Task<IResult> ActiveOrProblem(IGrainFactory grains) =>
        (await Registry(grains).ListVersions()).FirstOrDefault(v => v.Status == VersionStatus.Active) is { } record
            ? TypedResults.Ok(VersionJson.From(record))
            : ApiProblems.NotFound("No model version is active", "No version has been published yet: train one with 'train --publish' or run 'publish ARTIFACT_DIR'.");

    /// <summary>
    /// The registry keeps two versions loaded, the active and the previous; activating the previous one is a
    /// rollback, activating the active one changes nothing, and any other version was retired (its shards freed)
    /// and must be published again.
    /// </summary>
    private static Task<IResult> Activate(
        [Description("The version to make active: the active or the previous one (see GET /v1/versions).")] string version,
        [FromServices] IGrainFactory grains) =>
        GrainErrors.Call(async () =>
        {
            try
            {
                // One step in the registry: the active version stays, the previous one is a rollback, a retired one is refused.
                await Registry(grains).ActivateKept(version);
            }
            catch (KeyNotFoundException e)
            {
                return ApiProblems.NotFound("Unknown version", ApiProblems.OneLine(e.Message));
            }
            return await ActiveOrProblem(grains);
        });

    private static Task<IResult> Rollback([FromServices] IGrainFactory grains) =>
        GrainErrors.Call(async () =>
        {
            await Registry(grains).Rollback();
            return await ActiveOrProblem(grains);
        });
}
