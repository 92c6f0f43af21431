using MovieRecommender.Index;

namespace MovieRecommender.Grains.Indexing;

/// <summary>Builds a candidate shard's index off the grain's turn (the shard answers by exact scan meanwhile).</summary>
public interface IShardIndexBuilder
{
    Task<IVectorIndex> BuildAsync(float[] vectors, int dim, IndexSpec spec, CancellationToken cancellationToken);
}
