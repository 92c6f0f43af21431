namespace MovieRecommender.Contracts;

/// <summary>The body of <c>PUT /v1/users/{id}</c>: what a user tells of themselves (every field optional, at least one given).</summary>
public sealed record UserProfileRequest(int? Age, string? Gender, string? Occupation, string? Zip);
