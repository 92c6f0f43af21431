using System.Text.Json.Nodes;
using MovieRecommender.Artifacts;
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
