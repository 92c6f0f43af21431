namespace MovieRecommender.Artifacts;

/// <summary>
/// A user's query and excluded rows once their ratings since training are counted: what the user grain serves
/// from, and what <c>verify</c> recomputes on its own. Each rated movie not seen in training is folded in
/// (<see cref="QueryFolding.Fold"/>), in the order first rated; a user with no embedding is the mean of what they
/// rated (<see cref="QueryFolding.FromRatings"/>); every seen and rated movie is excluded.
/// </summary>
public static class LiveQuery
{
    /// <param name="embedding">The user's trained (or profile) embedding; null for a user known by their ratings alone.</param>
    /// <param name="seenRows">The rows the user saw in training.</param>
    /// <param name="rated">The rated movies the version holds (row, embedding), each once, in the order first rated.</param>
    /// <returns>The query (null: nothing to search with, so the popular list) and the excluded rows, sorted.</returns>
    public static (float[]? Query, int[] Excluded) Build(float[]? embedding, IReadOnlyCollection<int> seenRows,
        IReadOnlyList<(int Row, float[] Embedding)> rated, bool biasColumn, float meanUserNorm)
    {
        // Most users rated nothing since training: their query and excluded rows are the profile's own arrays, not copies
        // (an active user grain holds them as long as it lives).
        if (embedding is not null && rated.Count == 0 && seenRows is int[] seen0 && StrictlyAscending(seen0)) return (embedding, seen0);
        float[]? query;
        if (embedding is not null)
        {
            query = embedding;
            var seen = new HashSet<int>(seenRows);
            foreach (var movie in rated.Where(m => !seen.Contains(m.Row)))
            {
                query = QueryFolding.Fold(query, movie.Embedding, seen.Count, biasColumn);
                seen.Add(movie.Row);
            }
        }
        else
        {
            query = rated.Count > 0 ? QueryFolding.FromRatings([.. rated.Select(m => m.Embedding)], meanUserNorm, biasColumn) : null;
        }
        return (query, [.. seenRows.Concat(rated.Select(m => m.Row)).Distinct().Order()]);
    }

    private static bool StrictlyAscending(int[] rows)
    {
        for (var i = 1; i < rows.Length; i++)
            if (rows[i] <= rows[i - 1]) return false;
        return true;
    }
}
