namespace MovieRecommender.Artifacts;

/// <summary>
/// Turns new ratings into a query embedding without retraining: a rated movie's candidate direction is folded
/// into the user's query, and a user the model does not know gets the mean direction of the movies they rated,
/// scaled to a typical user's norm. An approximation that holds until the next training run. A bias column
/// (users hold 1 there) is never folded.
/// </summary>
public static class QueryFolding
{
    /// <summary>u + (|u| / (n + 1)) · i / |i|: the new movie weighs as one more of the n the user has seen.</summary>
    public static float[] Fold(float[] query, float[] movie, int seenBefore, bool biasColumn)
    {
        var d = Directions(query.Length, biasColumn);
        var result = (float[])query.Clone();
        var movieNorm = Norm(movie, d);
        if (movieNorm == 0) return result;
        var weight = Norm(query, d) / (seenBefore + 1) / movieNorm;
        for (var j = 0; j < d; j++) result[j] += weight * movie[j];
        return result;
    }

    /// <summary>The mean of the rated movies' unit directions, scaled to <paramref name="userNorm"/>; 1 in the bias column.</summary>
    public static float[] FromRatings(IReadOnlyList<float[]> movies, float userNorm, bool biasColumn)
    {
        if (movies.Count == 0) throw new ArgumentException("A query needs at least one rated movie.", nameof(movies));
        var length = movies[0].Length;
        var d = Directions(length, biasColumn);
        var sum = new float[length];
        foreach (var movie in movies)
        {
            var norm = Norm(movie, d);
            if (norm == 0) continue;
            for (var j = 0; j < d; j++) sum[j] += movie[j] / norm;
        }
        var sumNorm = Norm(sum, d);
        if (sumNorm > 0)
            for (var j = 0; j < d; j++) sum[j] *= userNorm / sumNorm;
        if (biasColumn) sum[^1] = 1;
        return sum;
    }

    private static int Directions(int length, bool biasColumn) => biasColumn ? length - 1 : length;

    private static float Norm(float[] v, int d)
    {
        double sum = 0;
        for (var j = 0; j < d; j++) sum += (double)v[j] * v[j];
        return (float)Math.Sqrt(sum);
    }
}
