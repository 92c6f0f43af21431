using System.Globalization;
using System.Text.Json.Nodes;
using MovieRecommender.Artifacts;
using MovieRecommender.Benchmarks.Index;

namespace MovieRecommender.Benchmarks.Publish;

/// <summary>
/// Writes a synthetic artifact: seeded float32 embeddings (<see cref="SyntheticData"/>: unstructured Gaussian, or
/// movies and users drawn from shared clusters as trained embeddings are), movie ids "1".."N" titled "Movie i", user
/// ids "1".."U" who each saw 5 to 20 random movies. Nothing was trained: the evaluation table is zeros and the
/// manifest's dataset and hyper-parameters say so.
/// </summary>
public static class GeneratedArtifact
{
    public const string DatasetPrefix = "generated";

    /// <summary>Clusters of <see cref="SyntheticData.Clustered"/> data (as the index benchmark's default).</summary>
    public const int Clusters = 256;

    /// <summary>The dataset's name, which is also its folder: the Gaussian name predates the choice, so its folders are reused.</summary>
    public static string DatasetName(int movies, int users, int dim, int seed, SyntheticData data = SyntheticData.Gaussian) =>
        string.Create(CultureInfo.InvariantCulture,
            $"{DatasetPrefix}{(data == SyntheticData.Clustered ? "-clustered" : "")}-m{movies}-u{users}-d{dim}-s{seed}");

    /// <summary>
    /// The newest complete artifact of these parameters under <paramref name="outRoot"/>/DATASET, written now unless
    /// one is there already and <paramref name="reuse"/> is set. Returns its folder and whether it was written now.
    /// </summary>
    public static (string Folder, bool Reused) Ensure(string outRoot, int movies, int users, int dim, int seed, bool reuse,
        SyntheticData data = SyntheticData.Gaussian)
    {
        var dataset = DatasetName(movies, users, dim, seed, data);
        var root = Path.Combine(outRoot, dataset);
        if (reuse && Directory.Exists(root))
        {
            var existing = Directory.EnumerateDirectories(root)
                .Where(d => !Path.GetFileName(d).StartsWith('.') && File.Exists(Path.Combine(d, ModelManifest.FileName)))
                .OrderDescending(StringComparer.Ordinal)
                .FirstOrDefault();
            if (existing is not null) return (existing, true);
        }
        return (Write(root, dataset, movies, users, dim, seed, data), false);
    }

    public static string Write(string root, string dataset, int movies, int users, int dim, int seed, SyntheticData data = SyntheticData.Gaussian)
    {
        var random = new Random(seed);
        var items = new CatalogItem[movies];
        for (var i = 0; i < movies; i++)
        {
            var id = (i + 1).ToString(CultureInfo.InvariantCulture);
            items[i] = new CatalogItem(id, "Movie " + id, [], null);
        }
        EmbeddingMatrix itemEmbeddings, userEmbeddings;
        if (data == SyntheticData.Clustered)
        {
            // Generated in parallel chunks of their own seeds: the same artifact whatever the core count.
            var clustered = SyntheticEmbeddings.Generate(movies, dim, users, Clusters, seed);
            itemEmbeddings = new EmbeddingMatrix(movies, dim, clustered.Items);
            userEmbeddings = new EmbeddingMatrix(users, dim, clustered.Queries);
        }
        else
        {
            itemEmbeddings = new EmbeddingMatrix(movies, dim, Gaussian(random, checked(movies * dim), 1 / Math.Sqrt(dim)));
            userEmbeddings = new EmbeddingMatrix(users, dim, Gaussian(random, checked(users * dim), 1 / Math.Sqrt(dim)));
        }

        var artifactUsers = new ArtifactUser[users];
        var seenRows = new HashSet<int>();
        for (var u = 0; u < users; u++)
        {
            seenRows.Clear();
            var count = Math.Min(movies, random.Next(5, 21));
            while (seenRows.Count < count) seenRows.Add(random.Next(movies));
            artifactUsers[u] = new ArtifactUser((u + 1).ToString(CultureInfo.InvariantCulture), [.. seenRows.Select(r => items[r].Id)]);
        }

        var zeros = new MethodEvaluation(
            EvaluationTable.Ks.ToDictionary(k => k.ToString(CultureInfo.InvariantCulture), _ => 0.0),
            EvaluationTable.Ks.ToDictionary(k => k.ToString(CultureInfo.InvariantCulture), _ => 0.0));
        var content = new ArtifactContent(
            Dataset: dataset,
            SplitSeed: seed,
            HyperParameters: new JsonObject
            {
                ["generated"] = true,
                ["note"] = data == SyntheticData.Clustered
                    ? $"Synthetic benchmark data: movies and users from {Clusters} shared seeded Gaussian clusters with log-normal norms, no training; the evaluation table is zeros."
                    : "Synthetic benchmark data: seeded Gaussian embeddings, no training; the evaluation table is zeros.",
                ["data"] = data.ToString().ToLowerInvariant(),
                ["seed"] = seed,
            },
            Evaluation: new EvaluationTable(zeros, zeros, zeros),
            TrainInteractions: artifactUsers.Sum(u => u.Seen.Count),
            TestInteractions: 0,
            TrainingSeconds: 0,
            Items: items,
            ItemEmbeddings: itemEmbeddings,
            Users: artifactUsers,
            UserEmbeddings: userEmbeddings);
        return ArtifactWriter.Write(root, content);
    }

    /// <summary>Standard normal values (Box-Muller) times <paramref name="scale"/>.</summary>
    private static float[] Gaussian(Random random, int count, double scale)
    {
        var values = new float[count];
        for (var i = 0; i < count; i += 2)
        {
            var u1 = 1.0 - random.NextDouble();
            var u2 = random.NextDouble();
            var r = Math.Sqrt(-2.0 * Math.Log(u1)) * scale;
            values[i] = (float)(r * Math.Cos(2 * Math.PI * u2));
            if (i + 1 < count) values[i + 1] = (float)(r * Math.Sin(2 * Math.PI * u2));
        }
        return values;
    }
}
