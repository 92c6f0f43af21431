namespace MovieRecommender.Index;

/// <summary>Refuses vectors the index cannot hold: wrong dimension, NaN or infinity.</summary>
public static class VectorGuard
{
    public static void CheckRows(ReadOnlySpan<float> vectors, int dim, string paramName)
    {
        if (dim < 1) throw new ArgumentOutOfRangeException(paramName, $"The dimension must be at least 1, not {dim}.");
        if (vectors.Length % dim != 0)
            throw new ArgumentException($"{vectors.Length} floats are not a whole number of {dim}-dimensional vectors.", paramName);
        var bad = IndexOfNonFinite(vectors);
        if (bad >= 0)
            throw new ArgumentException($"Vector {bad / dim} has {Describe(vectors[bad])} at dimension {bad % dim}; every component must be finite.", paramName);
    }

    public static void CheckQuery(ReadOnlySpan<float> query, int dim, string paramName)
    {
        if (query.Length != dim)
            throw new ArgumentException($"The query has {query.Length} dimensions; the index holds {dim}-dimensional vectors.", paramName);
        var bad = IndexOfNonFinite(query);
        if (bad >= 0)
            throw new ArgumentException($"The query has {Describe(query[bad])} at dimension {bad}; every component must be finite.", paramName);
    }

    /// <summary>Exclusions must be sorted ascending (duplicates allowed); ids outside the shard are ignored.</summary>
    public static void CheckSorted(ReadOnlySpan<int> ids, string paramName)
    {
        for (var i = 1; i < ids.Length; i++)
        {
            if (ids[i] < ids[i - 1])
                throw new ArgumentException($"Excluded ids must be sorted ascending; {ids[i]} follows {ids[i - 1]} at position {i}.", paramName);
        }
    }

    private static int IndexOfNonFinite(ReadOnlySpan<float> values)
    {
        for (var i = 0; i < values.Length; i++)
        {
            if (!float.IsFinite(values[i])) return i;
        }
        return -1;
    }

    private static string Describe(float value) => float.IsNaN(value) ? "NaN" : value > 0 ? "+infinity" : "-infinity";
}
