using System.Globalization;
using System.Text.Json.Nodes;
using MovieRecommender.Artifacts;
using MovieRecommender.Benchmarks.Index;
using MovieRecommender.Index;

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

    /// <summary>
    /// The dataset's name, which is also its folder: the Gaussian name predates the choice, so its folders are reused;
    /// a catalogue with metadata and towers (<paramref name="towers"/>) has a name of its own, so a folder without them is never taken for one.
    /// </summary>
    public static string DatasetName(int movies, int users, int dim, int seed, SyntheticData data = SyntheticData.Gaussian, bool towers = false) =>
        string.Create(CultureInfo.InvariantCulture,
            $"{DatasetPrefix}{(data == SyntheticData.Clustered ? "-clustered" : "")}{(towers ? "-towers" : "")}-m{movies}-u{users}-d{dim}-s{seed}");

    /// <summary>
    /// The newest complete artifact of these parameters under <paramref name="outRoot"/>/DATASET, written now unless
    /// one is there already and <paramref name="reuse"/> is set. Returns its folder and whether it was written now.
    /// With <paramref name="towers"/>, the movies have generated genres, years and titles, and the artifact carries
    /// feature towers that embed a new movie from them (<see cref="GeneratedFeatures"/>).
    /// </summary>
    public static (string Folder, bool Reused) Ensure(string outRoot, int movies, int users, int dim, int seed, bool reuse,
        SyntheticData data = SyntheticData.Gaussian, bool towers = false)
    {
        var dataset = DatasetName(movies, users, dim, seed, data, towers);
        var root = Path.Combine(outRoot, dataset);
        if (reuse && Directory.Exists(root))
        {
            var existing = Directory.EnumerateDirectories(root)
                .Where(d => !Path.GetFileName(d).StartsWith('.') && File.Exists(Path.Combine(d, ModelManifest.FileName)))
                .OrderDescending(StringComparer.Ordinal)
                .FirstOrDefault();
            if (existing is not null) return (existing, true);
        }
        return (Write(root, dataset, movies, users, dim, seed, data, towers), false);
    }

    /// <summary>A generated artifact as a report names it: its folder and version, its parameters, whether it was reused and how long it took.</summary>
    public static JsonObject Describe(string folder, ModelArtifact artifact, int movies, int users, int dim, SyntheticData data, int seed, bool reused,
        double? generateSeconds, double? loadSeconds) => new()
    {
        ["folder"] = folder,
        ["version"] = artifact.Manifest.Version,
        ["movies"] = movies,
        ["users"] = users,
        ["dim"] = dim,
        ["data"] = data.ToString().ToLowerInvariant(),
        ["clusters"] = data == SyntheticData.Clustered ? Clusters : null,
        ["seed"] = seed,
        ["towers"] = artifact.Manifest.HyperParameters["towers"]?.DeepClone(),
        ["reused"] = reused,
        ["generateSeconds"] = generateSeconds is { } g ? Math.Round(g, 1) : null,
        ["loadSeconds"] = loadSeconds is { } l ? Math.Round(l, 1) : null,
    };

    public static string Write(string root, string dataset, int movies, int users, int dim, int seed, SyntheticData data = SyntheticData.Gaussian,
        bool towers = false)
    {
        var random = new Random(seed);
        // The metadata from a generator of its own: the embeddings and users are those of the same parameters without towers.
        var described = towers ? new Random(SeedMix.Of(seed, 7)) : null;
        var items = new CatalogItem[movies];
        for (var i = 0; i < movies; i++)
        {
            var id = (i + 1).ToString(CultureInfo.InvariantCulture);
            if (described is null)
            {
                items[i] = new CatalogItem(id, "Movie " + id, [], null);
                continue;
            }
            var movie = GeneratedFeatures.Draw(described);
            items[i] = new CatalogItem(id, movie.Title, movie.Genres, movie.Year);
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
        var featureTowers = towers
            ? GeneratedFeatures.Towers(dim, movies, GeneratedFeatures.MedianNorm(itemEmbeddings),
                data == SyntheticData.Clustered ? SyntheticEmbeddings.Centers(dim, Clusters, seed) : null, SeedMix.Of(seed, 8))
            : null;

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
                ["towers"] = towers ? $"generated: {GeneratedFeatures.Genres.Length} genres pointing at the largest clusters ({GeneratedFeatures.GenreScale} x the median row norm), year buckets and {GeneratedFeatures.Words.Length} title words ({GeneratedFeatures.DetailScale} x), no normalisation" : null,
            },
            Evaluation: new EvaluationTable(zeros, zeros, zeros),
            TrainInteractions: artifactUsers.Sum(u => u.Seen.Count),
            TestInteractions: 0,
            TrainingSeconds: 0,
            Items: items,
            ItemEmbeddings: itemEmbeddings,
            Users: artifactUsers,
            UserEmbeddings: userEmbeddings,
            WriteExtraFiles: featureTowers is null ? null : featureTowers.Write);
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
