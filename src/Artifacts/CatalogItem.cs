namespace MovieRecommender.Artifacts;

/// <summary>One movie of the artifact: row r of <c>items.tsv</c> describes row r of <c>items.npy</c>.</summary>
public sealed record CatalogItem(string Id, string Title, IReadOnlyList<string> Genres, int? Year);
