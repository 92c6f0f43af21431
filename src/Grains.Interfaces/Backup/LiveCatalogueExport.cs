namespace MovieRecommender.Grains;

/// <summary>
/// One live catalogue partition as a backup keeps it: the latest change of each movie (what serves, with the sequence
/// that fixes a put movie's row) and the next sequence to give, so that a movie first put after a restore gets a new row.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record LiveCatalogueExport(
    [property: Id(0)] LiveMovie[] Changes,
    [property: Id(1)] long NextSequence);
