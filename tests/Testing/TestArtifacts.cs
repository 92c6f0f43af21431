using System.Text.Json.Nodes;
using MovieRecommender.Artifacts;
using MovieRecommender.Artifacts.Towers;
using MovieRecommender.Index;

namespace MovieRecommender.Testing;

/// <summary>Small seeded artifacts and the brute-force answer to check serving against.</summary>
public static class TestArtifacts
{
    /// <summary>User ids are unique per seed, so state one test leaves in a user grain (ratings) never meets another test.</summary>
    public static ArtifactContent Content(int users, int items, int dim, int seed, int maxSeen = 20, int? userIdBase = null)
    {
        var idBase = userIdBase ?? seed * 10_000;
        var random = new Random(seed);
        var catalog = Enumerable.Range(0, items)
            .Select(i => new CatalogItem($"{1000 + i}", $"Movie {i} ({1950 + i % 70})", i % 3 == 0 ? ["Drama", "Comedy"] : ["Action"], 1950 + i % 70))
            .ToList();
        var people = Enumerable.Range(0, users)
            .Select(u => new ArtifactUser($"{idBase + u + 1}", catalog.OrderBy(_ => random.Next()).Take(random.Next(0, maxSeen + 1)).Select(i => i.Id).ToList()))
            .ToList();
        return new ArtifactContent("generated", seed, new JsonObject { ["generator"] = "tests" }, EmptyEvaluation(), 1, 1, 0.0,
            catalog, RandomMatrix(items, dim, random), people, RandomMatrix(users, dim, random));
    }

    public static string Write(string root, int users, int items, int dim, int seed, int? userIdBase = null) =>
        ArtifactWriter.Write(root, Content(users, items, dim, seed, userIdBase: userIdBase));

    /// <summary>
    /// The content with feature towers, as a trained artifact carries them: the catalogue's genres and a few more,
    /// random feature tables scaled by <paramref name="scale"/> (large: a movie put from features then outranks the
    /// catalogue's), no normalisation, and demographics for new users.
    /// </summary>
    public static ArtifactContent WithTowers(ArtifactContent content, int seed, float scale = 4)
    {
        var random = new Random(seed);
        var dim = content.ItemEmbeddings.Columns;
        string[] movieVocabulary = [FeatureTowersReader.Padding, .. new[] { "Drama", "Comedy", "Action", "Sci-Fi", "Horror" }.Select(FeatureNames.Genre)];
        string[] userVocabulary = [FeatureTowersReader.Padding, FeatureNames.Gender("F"), FeatureNames.Gender("M"), FeatureNames.Occupation("writer"), FeatureNames.Age(30)];
        var settings = new TowerSettings(FeatureTowers.CurrentFormatVersion, dim, Normalize: false, Temperature: 1, BiasColumn: false, ColdMovieBias: 0, NewUserScale: 1,
            movieVocabulary, userVocabulary);
        var towers = new FeatureTowers(settings, Scaled(RandomMatrix(movieVocabulary.Length, dim, random), scale),
            Scaled(RandomMatrix(userVocabulary.Length, dim, random), scale), [.. Enumerable.Repeat(1f, content.Items.Count)]);
        return content with { WriteExtraFiles = towers.Write };
    }

    private static EmbeddingMatrix Scaled(EmbeddingMatrix m, float scale)
    {
        var values = m.Values.Select(v => v * scale).ToArray();
        values.AsSpan(0, m.Columns).Clear(); // the padding row
        return new EmbeddingMatrix(m.Rows, m.Columns, values);
    }

    public static EmbeddingMatrix RandomMatrix(int rows, int dim, Random random) =>
        new(rows, dim, Enumerable.Range(0, rows * dim).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray());

    public static EvaluationTable EmptyEvaluation()
    {
        var zeros = EvaluationTable.Ks.ToDictionary(k => k.ToString(), _ => 0.0);
        var method = new MethodEvaluation(zeros, zeros);
        return new EvaluationTable(method, method, method);
    }

    /// <summary>The exact top K of user·itemsᵀ, seen movies excluded: (row, score), best first, lower row on ties.</summary>
    public static (int Row, float Score)[] BruteForceTopK(ModelArtifact artifact, int userRow, int k)
    {
        var seen = artifact.Users[userRow].Seen.ToHashSet();
        var query = artifact.UserEmbeddings.Row(userRow).ToArray();
        return Enumerable.Range(0, artifact.Items.Count)
            .Where(row => !seen.Contains(artifact.Items[row].Id))
            .Select(row =>
            {
                double sum = 0;
                var item = artifact.ItemEmbeddings.Row(row);
                for (var d = 0; d < query.Length; d++) sum += (double)query[d] * item[d];
                return (Row: row, Score: (float)sum);
            })
            .OrderBestFirst(p => p.Score, p => p.Row)
            .Take(k)
            .ToArray();
    }
}
