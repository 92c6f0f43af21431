namespace MovieRecommender.Trainer.Data;

/// <summary>
/// Categorical features of the rows of one tower (users or items) as a dense, padded index matrix: row r has
/// the feature indices <c>Indices[r*Width .. r*Width+Width)</c>, 0 meaning "no feature" (padding), so a tower
/// sums the embeddings of its non-zero indices. <see cref="Vocabulary"/>[k] names feature k ("genre:Drama").
/// </summary>
public sealed record FeatureMatrix(int Rows, int Width, long[] Indices, IReadOnlyList<string> Vocabulary)
{
    public const string Padding = "<none>";

    public int VocabularySize => Vocabulary.Count;

    /// <summary>Builds the matrix from each row's feature names; the vocabulary lists features in order of first
    /// appearance, after the padding entry at index 0.</summary>
    public static FeatureMatrix Build(IReadOnlyList<IReadOnlyList<string>> rows)
    {
        var vocabulary = new List<string> { Padding };
        var index = new Dictionary<string, int>(StringComparer.Ordinal) { [Padding] = 0 };
        var width = Math.Max(1, rows.Count == 0 ? 1 : rows.Max(r => r.Count));
        var indices = new long[rows.Count * width];
        for (var r = 0; r < rows.Count; r++)
        {
            var c = 0;
            foreach (var name in rows[r])
            {
                if (!index.TryGetValue(name, out var k))
                {
                    k = vocabulary.Count;
                    index[name] = k;
                    vocabulary.Add(name);
                }
                indices[r * width + c++] = k;
            }
        }
        return new FeatureMatrix(rows.Count, width, indices, vocabulary);
    }
}
