using System.Net;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using MovieRecommender.HttpApi.Health;
using MovieRecommender.HttpApi.OpenApiSchemas;
using MovieRecommender.HttpApi.RateLimiting;
using MovieRecommender.HttpApi.Routes;
using MovieRecommender.HttpApi.Security;
using MovieRecommender.ServiceDefaults;
using Orleans.Dashboard;

namespace MovieRecommender.HttpApi;

/// <summary>
/// The HTTP API on a web host that is also a silo: <see cref="AddRecommenderHttpApi"/>
/// registers its services and binds Kestrel to <c>Http:Host</c>:<c>Http:Port</c>; <see cref="MapRecommenderHttpApi"/>
/// maps the routes: <c>/v1/...</c>, <c>/healthz</c>, <c>/readyz</c>, <c>/openapi/v1.json</c> and <c>/dashboard</c>.
/// </summary>
public static class RecommenderHttpExtensions
{
    public const string HealthPath = "/healthz";
    public const string ReadyPath = "/readyz";
    public const string DashboardPath = "/dashboard";
    private const string ReadyTag = "ready";

    /// <exception cref="OptionsValidationException">A setting of section <c>Http</c> is wrong; the message names its key.</exception>
    public static HttpApiOptions AddRecommenderHttpApi(this WebApplicationBuilder builder)
    {
        // Read and checked now (where Kestrel listens and whether the dashboard is mounted shape the host); the
        // routes, readiness and the keys get this same instance.
        var options = ValidatedOptions.Read(builder.Configuration, HttpApiOptions.Section, new HttpApiOptionsValidator());
        builder.Services.AddSingleton(Options.Create(options));

        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            if (options.Host == "localhost") kestrel.ListenLocalhost(options.Port);
            else kestrel.Listen(IPAddress.Parse(options.Host), options.Port);
        });

        // A body that is not the JSON a route reads: say what is wrong in it, with an example, rather than a bare 400.
        builder.Services.AddProblemDetails(problems => problems.CustomizeProblemDetails = BodyReadProblems.Describe);
        // Binding failures reach the exception handler (and so the problem above) instead of an empty 400.
        builder.Services.Configure<Microsoft.AspNetCore.Routing.RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        builder.Services.ConfigureHttpJsonOptions(json => json.SerializerOptions.Converters.Add(new System.Text.Json.Serialization.JsonStringEnumConverter()));
        builder.Services.AddOpenApi(o => o.AddDocumentTransformer((document, _, _) =>
        {
            document.Info.Title = "Movie recommender API";
            document.Info.Description = "Recommendations, ratings, similar movies and model versions of the movie recommender cluster. Errors are RFC 9457 problem details.";
            return Task.CompletedTask;
        }).AddSchemaTransformer(JsonIdSchema.Describe));
        builder.Services.AddSingleton<GenreCatalog>();

        builder.Services.AddAuthentication(ApiKeyAuthentication.Scheme)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthentication.Scheme, null);
        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(ApiKeyAuthentication.OperatorPolicy, p => p.RequireRole(ApiKeyAuthentication.OperatorRole))
            .AddPolicy(ApiKeyAuthentication.ClientPolicy, p => p.RequireAssertion(context =>
                // Open unless keys are required; a wrong key is refused even where none is needed, so a typo shows.
                context.User.Identity?.IsAuthenticated == true
                || !options.ClientKeyRequired && !(context.Resource is HttpContext http && SentAKey(http.Request))));
        builder.Services.AddRateLimiter(limiter => ClientRateLimit.Configure(limiter, options.RateLimit));
        // The silo's drain state (the grains register the same singleton): readiness answers 503 while draining.
        builder.Services.TryAddSingleton<MovieRecommender.Grains.Hosting.SiloDrain>();
        builder.Services.AddHealthChecks().AddCheck<ActiveVersionReadiness>("active-version", tags: [ReadyTag]);
        return options;
    }

    public static WebApplication MapRecommenderHttpApi(this WebApplication app)
    {
        var options = app.Services.GetRequiredService<IOptions<HttpApiOptions>>().Value;
        app.UseExceptionHandler(new ExceptionHandlerOptions
        {
            StatusCodeSelector = e => e is BadHttpRequestException bad ? bad.StatusCode : StatusCodes.Status500InternalServerError,
            // A caller's malformed body is the caller's problem (it gets a 400), not an error in the silo's log.
            SuppressDiagnosticsCallback = context => context.Exception is BadHttpRequestException,
        });
        app.UseStatusCodePages();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseRateLimiter();

        // Liveness runs no check: the process answers. Readiness: a version is active and every shard answers.
        app.MapHealthChecks(HealthPath, new HealthCheckOptions { Predicate = _ => false, ResponseWriter = HealthResponseWriter.Write });
        app.MapHealthChecks(ReadyPath, new HealthCheckOptions { Predicate = c => c.Tags.Contains(ReadyTag), ResponseWriter = HealthResponseWriter.Write });
        app.MapOpenApi();

        var v1 = app.MapGroup("/v1").RequireRateLimiting(ClientRateLimit.Policy);
        v1.MapUserRoutes();
        v1.MapRatingRoutes();
        v1.MapMovieRoutes();
        v1.MapCatalogueRoutes();
        v1.MapErasureRoutes();
        v1.MapVersionRoutes();

        if (options.DashboardMounted)
            app.MapOrleansDashboard(DashboardPath).RequireAuthorization(ApiKeyAuthentication.OperatorPolicy).ExcludeFromDescription();
        return app;
    }

    private static bool SentAKey(HttpRequest request) =>
        request.Headers.ContainsKey(ApiKeyAuthentication.Header) || request.Headers.ContainsKey("Authorization");
}
