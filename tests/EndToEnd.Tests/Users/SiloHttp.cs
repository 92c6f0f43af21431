using System.Net.Http.Json;
using MovieRecommender.Contracts;

namespace MovieRecommender.EndToEnd.Tests.Users;

/// <summary>A silo's HTTP API as a client and an operator call it, with the keys these tests start silos with.</summary>
public sealed class SiloHttp(Uri address) : IDisposable
{
    public const string OperatorKey = "operator-key-0123456789";
    public const string ClientKey = "client-key-0123456789ab";

    /// <summary>The settings that give a silo these keys.</summary>
    public static readonly string[] Settings = [$"--Http:OperatorKey={OperatorKey}", $"--Http:ClientKeys:0={ClientKey}"];

    private readonly HttpClient _http = new() { BaseAddress = address, Timeout = TimeSpan.FromSeconds(30) };

    public async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, object? body = null, bool asOperator = false)
    {
        using var request = new HttpRequestMessage(method, path);
        request.Headers.Add("X-Api-Key", asOperator ? OperatorKey : ClientKey);
        if (body is not null) request.Content = JsonContent.Create(body);
        return await _http.SendAsync(request);
    }

    public async Task<RecommendationJson> RecommendAsync(string userId, int k = 10)
    {
        using var response = await SendAsync(HttpMethod.Get, $"v1/users/{userId}/recommendations?k={k}");
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<RecommendationJson>(RecommendationJson.Options))!;
    }

    public async Task<HttpResponseMessage> RateAsync(string userId, string movieId, double rating) =>
        await SendAsync(HttpMethod.Post, $"v1/users/{userId}/ratings", new { movieId, rating });

    public void Dispose() => _http.Dispose();
}
