using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;
using MovieRecommender.Contracts;

namespace MovieRecommender.HttpApi.Problems;

/// <summary>
/// What a body the route could not bind means to the caller. An id that is neither a string nor an integer
/// (<see cref="JsonIdException"/>) is a bad parameter like any other, named where it is in the body
/// (<c>ratings[3].movieId</c>); anything else (not JSON, a text where a number goes) is an unreadable body, with the
/// route's example of what to send.
/// </summary>
public static class BodyReadProblems
{
    public const string UnreadableBody = "Unreadable request body";

    /// <summary>Rewrites the problem of a <see cref="BadHttpRequestException"/>; other problems are left as they are.</summary>
    public static void Describe(ProblemDetailsContext context)
    {
        if (context.Exception is not BadHttpRequestException bad) return;
        var problem = context.ProblemDetails;
        if (bad.InnerException is JsonIdException id && Where(id) is { } name)
        {
            // The examples the routes give for these ids: user 42, movie 50 (Star Wars in ML-100K).
            var idExample = name.EndsWith("userId", StringComparison.Ordinal) ? "42" : "50";
            problem.Title = ApiProblems.InvalidParameter;
            problem.Detail = QueryValues.IdExpected(name, idExample, id.Got);
            problem.Extensions["parameter"] = name;
            return;
        }
        // The exception handler clears the request's endpoint before it writes the problem; its feature keeps it.
        var endpoint = context.HttpContext.Features.Get<IExceptionHandlerFeature>()?.Endpoint ?? context.HttpContext.GetEndpoint();
        var example = endpoint?.Metadata.GetMetadata<BodyExample>()?.Json ?? BodyExample.Rating;
        problem.Title = UnreadableBody;
        problem.Detail = $"{bad.Message} Send JSON such as {example}.";
    }

    /// <summary>The value's place in the body from the reader's path: <c>$.ratings[3].movieId</c> is <c>ratings[3].movieId</c>.</summary>
    private static string? Where(JsonException e) =>
        e.Path is { Length: > 2 } path && path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : null;
}
