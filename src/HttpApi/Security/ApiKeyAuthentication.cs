namespace MovieRecommender.HttpApi.Security;

/// <summary>The names the API key scheme, its roles and the two authorization policies go by.</summary>
public static class ApiKeyAuthentication
{
    public const string Scheme = "ApiKey";

    /// <summary>The header a program sends its key in. A browser (the dashboard) may send it as a Basic password instead.</summary>
    public const string Header = "X-Api-Key";

    public const string OperatorRole = "operator";
    public const string ClientRole = "client";

    /// <summary>Operator routes: activate, rollback, the dashboard. Always the operator key.</summary>
    public const string OperatorPolicy = "operator";

    /// <summary>Recommendation routes: a client or operator key when <see cref="HttpApiOptions.ClientKeyRequired"/>, else anyone.</summary>
    public const string ClientPolicy = "client";
}
