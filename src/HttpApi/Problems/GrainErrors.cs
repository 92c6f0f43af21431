namespace MovieRecommender.HttpApi.Problems;

/// <summary>
/// What a grain call's exception means to an HTTP caller. The grains word their messages for the caller (the
/// console prints them as they are), so the detail is the grain's message on one line.
/// </summary>
public static class GrainErrors
{
    /// <summary>Runs a grain call; a failure the caller can act on becomes a problem, anything else propagates (500).</summary>
    /// <param name="unknownMovie">An <see cref="ArgumentException"/> means the movie id is not in the catalogue (404):
    /// the routes check every other argument before calling, so it is the only one the grain can still refuse.</param>
    public static async Task<IResult> Call(Func<Task<IResult>> call, bool unknownMovie = false)
    {
        try
        {
            return await call();
        }
        catch (ArgumentOutOfRangeException e)
        {
            return TypedResults.Problem(ApiProblems.OneLine(e.Message), statusCode: StatusCodes.Status400BadRequest, title: ApiProblems.InvalidParameter);
        }
        catch (ArgumentException e) when (unknownMovie)
        {
            return ApiProblems.NotFound("Unknown movie", ApiProblems.OneLine(e.Message));
        }
        catch (ArgumentException e)
        {
            return TypedResults.Problem(ApiProblems.OneLine(e.Message), statusCode: StatusCodes.Status400BadRequest, title: ApiProblems.InvalidParameter);
        }
        catch (InvalidOperationException e) when (e.Message.StartsWith("No model is published yet", StringComparison.Ordinal))
        {
            return ApiProblems.Unavailable("No model version is active", ApiProblems.OneLine(e.Message));
        }
        catch (NotSupportedException e)
        {
            return ApiProblems.Conflict("Not supported by the active version", ApiProblems.OneLine(e.Message));
        }
        catch (TimeoutException e)
        {
            return ApiProblems.Unavailable("The cluster did not answer in time", $"{ApiProblems.OneLine(e.Message)} Is a silo overloaded or stopping? Try again.");
        }
        catch (SiloUnavailableException e)
        {
            return ApiProblems.Unavailable("A silo is unavailable", $"{ApiProblems.OneLine(e.Message)} Try again.");
        }
        catch (InvalidOperationException e)
        {
            // A state the request cannot be served in (no previous version to roll back to, a store that failed).
            return ApiProblems.Conflict("The cluster refused the request", ApiProblems.OneLine(e.Message));
        }
    }
}
