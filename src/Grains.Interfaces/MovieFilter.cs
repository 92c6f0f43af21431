namespace MovieRecommender.Grains;

/// <summary>
/// Restricts a search to movies of one genre and/or a release-year range (inclusive). Applied inside the
/// shards, so K results still come back wherever K matching movies exist. A movie without a known year never
/// matches a year range.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record MovieFilter(
    [property: Id(0)] string? Genre = null,
    [property: Id(1)] int? MinYear = null,
    [property: Id(2)] int? MaxYear = null)
{
    public static readonly MovieFilter None = new();

    public bool IsEmpty => Genre is null && MinYear is null && MaxYear is null;

    public bool Matches(IReadOnlyList<string> genres, int year) =>
        (Genre is null || genres.Any(g => string.Equals(g, Genre, StringComparison.OrdinalIgnoreCase)))
        && (MinYear is null || year != 0 && year >= MinYear)
        && (MaxYear is null || year != 0 && year <= MaxYear);
}
