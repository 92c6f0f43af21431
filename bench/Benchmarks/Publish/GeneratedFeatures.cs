using System.Globalization;
using MovieRecommender.Artifacts;
using MovieRecommender.Artifacts.Towers;
using MovieRecommender.Benchmarks.Index;

namespace MovieRecommender.Benchmarks.Publish;

/// <summary>A generated movie's features: what an operator would put (title, genres, year).</summary>
public sealed record GeneratedMovie(string Title, string[] Genres, int Year);

/// <summary>
/// Seeded movie metadata and feature towers for a generated catalogue, so that a movie put live is embedded as in
/// production (<see cref="FeatureTowers.EmbedNewMovie"/>): the 18 MovieLens genres (1 to 3 a movie), a year from
/// <see cref="FirstYear"/> to <see cref="LastYear"/> (recent years likelier), a title of two words of a fixed list.
/// The towers' movie vocabulary is those genres, the years' buckets (<see cref="FeatureNames"/>) and the title words.
/// A genre's embedding points at one of the catalogue's large clusters (as a trained genre embedding points where its
/// movies are), scaled to <see cref="GenreScale"/> times the catalogue's median row norm, so a new movie competes with
/// the catalogue's best rows for the users of its genres' clusters; years and words add random rows of
/// <see cref="DetailScale"/> times that norm. No normalisation, temperature 1, no bias column, movie norms all 1.
/// </summary>
public static class GeneratedFeatures
{
    public static readonly string[] Genres =
    [
        "Action", "Adventure", "Animation", "Children's", "Comedy", "Crime", "Documentary", "Drama", "Fantasy",
        "Film-Noir", "Horror", "Musical", "Mystery", "Romance", "Sci-Fi", "Thriller", "War", "Western",
    ];

    public static readonly string[] Words =
    [
        "night", "city", "love", "star", "dark", "house", "river", "last", "road", "dream", "king", "war",
        "summer", "ghost", "blood", "heart", "storm", "secret", "island", "fire", "shadow", "girl", "man", "time",
        "winter", "moon", "game", "death", "family", "world", "sea", "wild", "lost", "empire", "return", "silent",
        "golden", "iron", "black", "white", "red", "blue", "big", "little", "american", "french", "street", "sky",
        "train", "mountain", "hunter", "angel", "devil", "journey", "money", "song", "dance", "letter", "garden", "winds",
        "revenge", "escape", "harbor", "voyage",
    ];

    public const int FirstYear = 1930;
    public const int LastYear = 2025;

    /// <summary>A genre's row norm, in the catalogue's median row norms.</summary>
    public const double GenreScale = 4;

    /// <summary>A year's or a title word's row norm, in the catalogue's median row norms.</summary>
    public const double DetailScale = 1;

    /// <summary>One movie's features.</summary>
    public static GeneratedMovie Draw(Random random)
    {
        var count = random.NextDouble() switch { < 0.5 => 1, < 0.85 => 2, _ => 3 };
        var picked = new SortedSet<int>();
        while (picked.Count < count) picked.Add(random.Next(Genres.Length));
        var year = FirstYear + (int)((LastYear - FirstYear + 1) * Math.Sqrt(random.NextDouble()));
        var title = string.Create(CultureInfo.InvariantCulture,
            $"{Capital(Words[random.Next(Words.Length)])} {Capital(Words[random.Next(Words.Length)])} ({year})");
        return new GeneratedMovie(title, [.. picked.Select(g => Genres[g])], year);
    }

    /// <summary>
    /// The towers for a catalogue of <paramref name="movies"/> rows of <paramref name="dim"/> whose median row norm is
    /// <paramref name="medianNorm"/>; genre g points at <paramref name="centers"/>' row g (null: a random direction).
    /// </summary>
    public static FeatureTowers Towers(int dim, int movies, double medianNorm, float[]? centers, int seed)
    {
        var random = new Random(seed);
        var years = Enumerable.Range(FirstYear, LastYear - FirstYear + 1).Select(FeatureNames.Year).Distinct().ToArray();
        string[] vocabulary = [FeatureTowersReader.Padding, .. Genres.Select(FeatureNames.Genre), .. years, .. Words.Select(FeatureNames.Word)];
        var table = new float[vocabulary.Length * dim];
        for (var k = 1; k < vocabulary.Length; k++)
        {
            var row = table.AsSpan(k * dim, dim);
            var genre = k - 1 < Genres.Length;
            for (var d = 0; d < dim; d++)
                row[d] = genre && centers is not null ? centers[(k - 1) * dim + d] : (float)SyntheticEmbeddings.Gaussian(random);
            Scale(row, (genre ? GenreScale : DetailScale) * medianNorm);
        }
        var settings = new TowerSettings(FeatureTowers.CurrentFormatVersion, dim, Normalize: false, Temperature: 1, BiasColumn: false, ColdMovieBias: 0,
            NewUserScale: 1, vocabulary, []);
        return new FeatureTowers(settings, new EmbeddingMatrix(vocabulary.Length, dim, table), null, [.. Enumerable.Repeat(1f, movies)]);
    }

    /// <summary>The median Euclidean norm of (up to 10,000 evenly spaced) rows.</summary>
    public static double MedianNorm(EmbeddingMatrix rows)
    {
        var step = Math.Max(1, rows.Rows / 10_000);
        var norms = new List<double>();
        for (var r = 0; r < rows.Rows; r += step)
        {
            double sum = 0;
            foreach (var x in rows.Row(r)) sum += (double)x * x;
            norms.Add(Math.Sqrt(sum));
        }
        norms.Sort();
        return norms.Count == 0 ? 1 : norms[norms.Count / 2];
    }

    private static void Scale(Span<float> row, double norm)
    {
        double sum = 0;
        foreach (var x in row) sum += (double)x * x;
        var factor = (float)(norm / Math.Max(Math.Sqrt(sum), 1e-12));
        for (var d = 0; d < row.Length; d++) row[d] *= factor;
    }

    private static string Capital(string word) => char.ToUpperInvariant(word[0]) + word[1..];
}
