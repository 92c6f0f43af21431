using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.DependencyInjection;

namespace MovieRecommender.HttpApi.Problems;

/// <summary>
/// Errors as RFC 9457 problem details: a short <c>title</c> per kind of error, and a <c>detail</c> worded as the
/// console words it (what was wrong, where, what to do); a bad query parameter also names it in <c>parameter</c>.
/// </summary>
public static class ApiProblems
{
    public const string InvalidParameter = "Invalid request parameter";

    /// <summary>A query or body value that is malformed or out of range: 400, naming the parameter.</summary>
    public static IResult BadParameter(string parameter, string detail) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status400BadRequest, title: InvalidParameter,
            extensions: new Dictionary<string, object?> { ["parameter"] = parameter });

    public static IResult NotFound(string title, string detail) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status404NotFound, title: title);

    public static IResult Conflict(string title, string detail) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status409Conflict, title: title);

    public static IResult Unavailable(string title, string detail) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status503ServiceUnavailable, title: title);

    /// <summary>Writes a problem where no endpoint result can (authentication, the rate limiter).</summary>
    public static async Task Write(HttpContext context, int status, string title, string detail)
    {
        context.Response.StatusCode = status;
        var problem = new ProblemDetails { Status = status, Title = title, Detail = detail };
        var service = context.RequestServices.GetRequiredService<IProblemDetailsService>();
        if (!await service.TryWriteAsync(new ProblemDetailsContext { HttpContext = context, ProblemDetails = problem }))
            await context.Response.WriteAsJsonAsync(problem, options: null, contentType: "application/problem+json");
    }

    /// <summary>A .NET message on one line, without "(Parameter 'x')" and "Actual value was ...", which say nothing to a caller.</summary>
    public static string OneLine(string message)
    {
        var first = message.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault() ?? "";
        var parameter = first.LastIndexOf(" (Parameter '", StringComparison.Ordinal);
        return parameter > 0 ? first[..parameter] : first;
    }
}
