using System.Runtime.InteropServices;
using MovieRecommender.Grains;
using MovieRecommender.Grains.Shards;

namespace MovieRecommender.Serving.Tests.Shards;

/// <summary>
/// A small version for the shard classes' tests: 10 movies of dimension 2 in 2 shards (rows [0, 5) and [5, 10)).
/// Movie r is <c>m{r}</c>, titled <c>Title {r}</c>, released in 1990 + r, its vector (r, 1); even rows are Drama,
/// odd ones Comedy.
/// </summary>
internal static class ShardTestData
{
    public const int Dimension = 2;

    public static ModelVersionInfo Model(string index = "auto", int items = 10, int shards = 2) =>
        new("v1", Dimension, items, UserCount: 3, shards, UserShards: 1, DateTimeOffset.UnixEpoch, Index: index);

    /// <summary>Rows [first, first + count) of the version as one chunk; <paramref name="genre"/> overrides every row's genre.</summary>
    public static CandidateChunk Chunk(ModelVersionInfo model, int first, int count, string? genre = null)
    {
        var rows = Enumerable.Range(first, count).ToArray();
        var vectors = rows.SelectMany(r => new float[] { r, 1 }).ToArray();
        return new CandidateChunk(model, first, [.. rows.Select(r => $"m{r}")], [.. rows.Select(r => $"Title {r}")],
            MemoryMarshal.AsBytes(vectors.AsSpan()).ToArray(), [.. rows.Select(r => new[] { genre ?? (r % 2 == 0 ? "Drama" : "Comedy") })],
            [.. rows.Select(r => 1990 + r)]);
    }

    /// <summary>Shard <paramref name="shard"/> with every row pushed.</summary>
    public static CandidatePartition Complete(ModelVersionInfo model, int shard)
    {
        var partition = CandidatePartition.ForLayout(model, shard);
        partition.Take(Chunk(model, partition.FirstRow, partition.Count));
        return partition;
    }
}
