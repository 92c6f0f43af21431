namespace MovieRecommender.Index;

/// <summary>Builds the index an <see cref="IndexSpec"/> names (FAISS's <c>index_factory</c>).</summary>
public static class VectorIndex
{
    /// <summary>
    /// Builds <paramref name="spec"/> (resolved for the shard's size when <see cref="IndexSpec.Auto"/>) over rows x
    /// <paramref name="dim"/> floats, row-major; <paramref name="build"/> supplies what the spec leaves unset (threads,
    /// k-means, SIMD). The index references <paramref name="vectors"/>: do not change them afterwards.
    /// </summary>
    public static IVectorIndex Build(float[] vectors, int dim, IndexSpec spec, IndexOptions? build = null)
    {
        ArgumentNullException.ThrowIfNull(vectors);
        ArgumentNullException.ThrowIfNull(spec);
        var rows = dim <= 0 ? 0 : vectors.Length / dim;
        return MipsIndex.Build(vectors, dim, spec.Resolve(rows, dim).ApplyTo(build ?? IndexOptions.Default));
    }
}
