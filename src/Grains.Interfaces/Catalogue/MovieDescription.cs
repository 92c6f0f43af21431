namespace MovieRecommender.Grains;

/// <summary>What an operator says of a movie: the features the candidate tower embeds it from.</summary>
[GenerateSerializer, Immutable]
public sealed record MovieDescription(
    [property: Id(0)] string Title,
    [property: Id(1)] string[] Genres,
    [property: Id(2)] int Year)
{
    public const int MinYear = 1800;
    public const int MaxYear = 2100;

    /// <summary>What is wrong with the description, in one sentence, or null. Genres are checked against the model by the caller.</summary>
    public string? Problem() =>
        string.IsNullOrWhiteSpace(Title) ? "The movie has no title."
        : Title.Length > 500 ? "The title is longer than 500 characters."
        : Genres is null || Genres.Length == 0 ? "The movie has no genre; give at least one, e.g. [\"Drama\"]."
        : Genres.Any(string.IsNullOrWhiteSpace) ? "A genre is empty."
        : Year is < MinYear or > MaxYear ? $"The year {Year} is outside {MinYear}-{MaxYear}."
        : null;
}
