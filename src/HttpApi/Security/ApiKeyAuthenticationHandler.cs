using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MovieRecommender.HttpApi.Security;

/// <summary>
/// ASP.NET Core authentication by API key: the key comes in <c>X-Api-Key</c>, as a bearer token, or as the password
/// of HTTP Basic (so a browser can open the dashboard); it is compared in constant time with the configured keys.
/// A refusal is a problem details body saying which key the route needs and where to send it.
/// </summary>
public sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> schemeOptions,
    ILoggerFactory logger,
    UrlEncoder encoder,
    IOptions<HttpApiOptions> api) : AuthenticationHandler<AuthenticationSchemeOptions>(schemeOptions, logger, encoder)
{
    private const string WrongKeyItem = "recommender.wrong-key";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (PresentedKey(Request) is not { Length: > 0 } key) return Task.FromResult(AuthenticateResult.NoResult());
        var options = api.Value;
        string? role = Matches(key, options.OperatorKey) ? ApiKeyAuthentication.OperatorRole
            : options.ClientKeys.Any(k => Matches(key, k)) ? ApiKeyAuthentication.ClientRole : null;
        if (role is null)
        {
            Context.Items[WrongKeyItem] = true;
            return Task.FromResult(AuthenticateResult.Fail("The API key is not one of this silo's keys."));
        }
        var identity = new ClaimsIdentity([new Claim(ClaimTypes.Role, role)], ApiKeyAuthentication.Scheme);
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), ApiKeyAuthentication.Scheme)));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        // Basic lets a browser ask for the key (any user name, the key as password) and send it on every call after.
        Response.Headers.WWWAuthenticate = $"{ApiKeyAuthentication.Scheme} header=\"{ApiKeyAuthentication.Header}\", Basic realm=\"movie-recommender\", charset=\"UTF-8\"";
        var needsOperator = NeedsOperator();
        var detail = Context.Items.ContainsKey(WrongKeyItem)
            ? $"The API key sent is not one of this silo's keys ({(needsOperator ? "this route needs Http:OperatorKey" : "Http:ClientKeys or Http:OperatorKey")}); check the key and send it again in the {ApiKeyAuthentication.Header} header."
            : needsOperator
                ? api.Value.OperatorKey is null
                    ? $"This operator route needs the operator key, and this silo has none: set Http:OperatorKey on the silo, then send it in the {ApiKeyAuthentication.Header} header."
                    : $"This operator route needs the operator key (Http:OperatorKey): send it in the {ApiKeyAuthentication.Header} header."
                : $"This route needs an API key (Http:ClientKeys): send it in the {ApiKeyAuthentication.Header} header.";
        return ApiProblems.Write(Context, StatusCodes.Status401Unauthorized, "API key required", detail);
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        ApiProblems.Write(Context, StatusCodes.Status403Forbidden, "Operator key required",
            $"This operator route needs the operator key (Http:OperatorKey); the key sent is a client key. Send the operator key in the {ApiKeyAuthentication.Header} header.");

    private bool NeedsOperator() =>
        Context.GetEndpoint()?.Metadata.GetOrderedMetadata<Microsoft.AspNetCore.Authorization.IAuthorizeData>()
            .Any(a => a.Policy == ApiKeyAuthentication.OperatorPolicy) ?? true;

    private static string? PresentedKey(HttpRequest request)
    {
        if (request.Headers[ApiKeyAuthentication.Header].FirstOrDefault() is { Length: > 0 } header) return header.Trim();
        var authorization = request.Headers.Authorization.FirstOrDefault();
        if (authorization is null) return null;
        if (authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)) return authorization["Bearer ".Length..].Trim();
        if (authorization.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            try
            {
                var pair = Encoding.UTF8.GetString(Convert.FromBase64String(authorization["Basic ".Length..].Trim()));
                var colon = pair.IndexOf(':');
                return colon >= 0 ? pair[(colon + 1)..] : null;
            }
            catch (FormatException)
            {
                return null;
            }
        }
        return null;
    }

    private static bool Matches(string presented, string? configured) =>
        configured is { Length: > 0 }
        && CryptographicOperations.FixedTimeEquals(
            SHA256.HashData(Encoding.UTF8.GetBytes(presented)), SHA256.HashData(Encoding.UTF8.GetBytes(configured.Trim())));
}
