namespace MovieRecommender.Grains;

/// <summary>A batch of users' query embeddings and seen movies for one user shard, pushed by the publisher.</summary>
[GenerateSerializer, Immutable]
public sealed record UserChunk(
    [property: Id(0)] ModelVersionInfo Model,
    [property: Id(1)] string[] UserIds,
    // Little-endian float32 rows, UserIds.Length x Model.Dimension.
    [property: Id(2)] byte[] Vectors,
    // Per user, the rows (in the version's items.npy) of the movies seen in training, sorted ascending.
    [property: Id(3)] int[][] SeenRows);
