using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics.X86;

namespace MovieRecommender.Index;

/// <summary>Scores candidates exactly against the float32 rows and keeps the K best in <see cref="TopKOrder"/>.</summary>
internal static unsafe class ExactRerank
{
    /// <summary>Candidates prefetched ahead of the one being scored: their rows are scattered over the whole shard.</summary>
    private const int PrefetchDistance = 8;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static SearchHit[] TopK(float[] vectors, int dim, ReadOnlySpan<float> query, ReadOnlySpan<int> candidates, int k, bool portable)
    {
        // Rented: a rerank of a few hundred candidates per query was a silo's second largest allocation under load.
        var buffer = ArrayPool<SearchHit>.Shared.Rent(candidates.Length);
        try
        {
            return TopK(vectors, dim, query, candidates, k, portable, buffer.AsSpan(0, candidates.Length));
        }
        finally
        {
            ArrayPool<SearchHit>.Shared.Return(buffer);
        }
    }

    private static SearchHit[] TopK(float[] vectors, int dim, ReadOnlySpan<float> query, ReadOnlySpan<int> candidates, int k, bool portable, Span<SearchHit> hits)
    {
        var rowBytes = dim * sizeof(float);
        fixed (float* v = vectors)
        {
            var prefetch = !portable && Sse.IsSupported;
            if (prefetch)
            {
                for (var i = 0; i < Math.Min(PrefetchDistance, candidates.Length); i++) Prefetch(v, candidates[i], dim, rowBytes);
            }
            for (var i = 0; i < candidates.Length; i++)
            {
                if (prefetch && i + PrefetchDistance < candidates.Length) Prefetch(v, candidates[i + PrefetchDistance], dim, rowBytes);
                var id = candidates[i];
                hits[i] = new SearchHit(id, FloatDot.Dot(new ReadOnlySpan<float>(v + (long)id * dim, dim), query, portable));
            }
        }
        hits.Sort(BestFirstComparison);
        return hits[..Math.Min(k, hits.Length)].ToArray();
    }

    /// <summary>Sorts hits best first in <see cref="TopKOrder"/>.</summary>
    public static void SortBestFirst(SearchHit[] hits) => Array.Sort(hits, BestFirstComparison);

    private static readonly Comparison<SearchHit> BestFirstComparison = TopKOrder.BestFirst;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Prefetch(float* vectors, int id, int dim, int rowBytes)
    {
        var row = (byte*)(vectors + (long)id * dim);
        for (var offset = 0; offset < rowBytes; offset += 64) Sse.Prefetch0(row + offset);
    }
}
