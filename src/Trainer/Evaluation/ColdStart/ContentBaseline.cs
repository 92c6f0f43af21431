using MovieRecommender.Trainer.Data;

namespace MovieRecommender.Trainer.Evaluation.ColdStart;

/// <summary>
/// The content baseline of a cold-start evaluation: each movie is its multi-hot feature vector (genres, release-year bucket,
/// title words, as <see cref="FeatureEncoder.Items"/> names them), each user the mean of their training movies' vectors,
/// and a movie scores the cosine between the two. It needs no training, so a movie nobody rated scores like any other.
/// </summary>
public sealed class ContentBaseline : IUserScorer
{
    private readonly FeatureMatrix _features;
    private readonly SparseRows _train;
    private readonly double[] _inverseNorms;

    public ContentBaseline(FeatureMatrix features, SparseRows train)
    {
        if (features.Rows != train.ItemCount) throw new ArgumentException($"{features.Rows} feature rows for {train.ItemCount} movies.");
        _features = features;
        _train = train;
        _inverseNorms = new double[features.Rows];
        for (var i = 0; i < features.Rows; i++)
        {
            var n = 0;
            foreach (var k in Row(i)) if (k > 0) n++;
            _inverseNorms[i] = n > 0 ? 1 / Math.Sqrt(n) : 0;
        }
    }

    public int Items => _features.Rows;

    public void Score(int firstUser, int count, double[] scores)
    {
        var profile = new double[_features.VocabularySize];
        for (var r = 0; r < count; r++)
        {
            Array.Clear(profile);
            var seen = _train.Row(firstUser + r);
            foreach (var i in seen)
                foreach (var k in Row(i))
                    if (k > 0) profile[k] += 1.0 / seen.Length;
            double norm = 0;
            foreach (var v in profile) norm += v * v;
            var inverseProfileNorm = norm > 0 ? 1 / Math.Sqrt(norm) : 0;
            for (var i = 0; i < Items; i++)
            {
                double dot = 0;
                foreach (var k in Row(i))
                    if (k > 0) dot += profile[k];
                scores[r * Items + i] = dot * inverseProfileNorm * _inverseNorms[i];
            }
        }
    }

    private ReadOnlySpan<long> Row(int item) => _features.Indices.AsSpan(item * _features.Width, _features.Width);
}
