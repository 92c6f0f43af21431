using Microsoft.Extensions.Options;
using MovieRecommender.Index;

namespace MovieRecommender.Grains.Indexing;

/// <summary>
/// Builds shard indexes on the thread pool, several shards at once but at most one per core (each build is itself
/// multi-threaded), so a silo that loads many shards keeps its grains' turns short and its memory for builds bounded.
/// The silo's <see cref="IndexOptions"/> (section <c>Index</c>) supply what a spec leaves unset: threads, k-means, SIMD.
/// </summary>
public sealed class ShardIndexBuilder(IOptions<IndexOptions> options) : IShardIndexBuilder
{
    private readonly SemaphoreSlim _slots = new(Environment.ProcessorCount);

    public async Task<IVectorIndex> BuildAsync(float[] vectors, int dim, IndexSpec spec, CancellationToken cancellationToken)
    {
        await _slots.WaitAsync(cancellationToken);
        try
        {
            return await Task.Run(() => VectorIndex.Build(vectors, dim, spec, options.Value), cancellationToken);
        }
        finally
        {
            _slots.Release();
        }
    }
}
