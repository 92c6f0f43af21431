namespace MovieRecommender.Grains;

/// <summary>Find the K best movies of a shard for a query, skipping the given item rows (sorted ascending) and the movies the filter rejects.</summary>
[GenerateSerializer, Immutable]
public sealed record ShardSearchRequest(
    [property: Id(0)] float[] Query,
    [property: Id(1)] int K,
    [property: Id(2)] int[] ExcludedRows,
    [property: Id(3)] MovieFilter? Filter = null,
    [property: Id(4)] SearchTuning? Tuning = null);
