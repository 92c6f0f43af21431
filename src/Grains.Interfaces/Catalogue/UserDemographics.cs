namespace MovieRecommender.Grains;

/// <summary>What a user tells of themselves; the query tower embeds a user the model does not know from it.</summary>
[GenerateSerializer, Immutable]
public sealed record UserDemographics(
    [property: Id(0)] int? Age,
    [property: Id(1)] string? Gender,
    [property: Id(2)] string? Occupation,
    [property: Id(3)] string? Zip)
{
    /// <summary>What is wrong, in one sentence, or null.</summary>
    public string? Problem() =>
        Age is < 1 or > 120 ? $"The age {Age} is outside 1-120."
        : Gender is { } g && g is not ("M" or "F") ? $"The gender '{g}' is not M or F (MovieLens' values)."
        : Occupation is { Length: > 100 } ? "The occupation is longer than 100 characters."
        : Zip is { Length: > 20 } ? "The zip code is longer than 20 characters."
        : Age is null && Gender is null && Occupation is null && Zip is null ? "The profile is empty; give at least one of age, gender, occupation and zip."
        : null;
}
