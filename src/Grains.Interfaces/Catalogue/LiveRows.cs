namespace MovieRecommender.Grains;

/// <summary>How the live catalogue is split, and the rows its movies take in a version that does not know them.</summary>
public static class LiveRows
{
    /// <summary>The live catalogue's partitions (<see cref="ILiveCatalogueGrain"/>), fixed: a movie's partition never moves.</summary>
    public const int Partitions = 16;

    public static int PartitionOf(string movieId) => Partitioning.UserShardOf(movieId, Partitions);

    /// <summary>The candidate shard that holds a movie the version does not know.</summary>
    public static int ShardOf(string movieId, int shards) => Partitioning.UserShardOf("movie:" + movieId, shards);

    /// <summary>The row a new movie takes in a version of <paramref name="itemCount"/> movies: past every known row, unique per movie.</summary>
    public static int RowOf(int itemCount, int partition, long sequence) =>
        checked((int)(itemCount + sequence * Partitions + partition));
}
