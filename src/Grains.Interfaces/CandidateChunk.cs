namespace MovieRecommender.Grains;

/// <summary>
/// A slice of one candidate shard's movies, pushed by the publisher. Chunks write into fixed slots
/// (rows [<see cref="FirstRow"/>, FirstRow + Ids.Length) of the version), so pushing one twice is harmless.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record CandidateChunk(
    [property: Id(0)] ModelVersionInfo Model,
    [property: Id(1)] int FirstRow,
    [property: Id(2)] string[] Ids,
    [property: Id(3)] string[] Titles,
    // Little-endian float32 rows, Ids.Length x Model.Dimension: one blob serializes far faster than float[].
    [property: Id(4)] byte[] Vectors,
    // Per movie its genres, and its release year (0 when unknown), for filtered searches.
    [property: Id(5)] string[][] Genres,
    [property: Id(6)] int[] Years);
