using System.Globalization;
using System.Text;

namespace MovieRecommender.Benchmarks.Training;

/// <summary>One dataset of the tuning table: its name, what it is, and how to write it into a folder.</summary>
public sealed record DevelopmentDataset(string Name, string Shape, Action<string> Write);

/// <summary>
/// The datasets the trainer's tuning is judged on beside MovieLens 100K itself: seeded subsamples of it (users or movies
/// dropped, ratings thinned; written in its own layout, so the movies and users keep their features) and generated
/// ml-latest-layout catalogues (<see cref="MovieLensLikeCatalogue"/>) of other sizes and sparsities. Each is written
/// once, seeded, so a later run trains on the same bytes.
/// </summary>
public static class DevelopmentDatasets
{
    public const int Seed = 7;

    public static IReadOnlyList<DevelopmentDataset> All(string ml100k) =>
    [
        new("ml-100k", "MovieLens 100K as it is", folder => Copy(ml100k, folder, keepUser: _ => true, keepMovie: _ => true, keepRating: _ => true)),
        new("ml-100k-half-users", "MovieLens 100K, a seeded half of the users",
            folder => Copy(ml100k, folder, keepUser: Half("users"), keepMovie: _ => true, keepRating: _ => true)),
        new("ml-100k-half-movies", "MovieLens 100K, a seeded half of the movies and their ratings",
            folder => Copy(ml100k, folder, keepUser: _ => true, keepMovie: Half("movies"), keepRating: _ => true)),
        new("ml-100k-thin-40", "MovieLens 100K, a seeded 40% of the ratings",
            folder => Copy(ml100k, folder, keepUser: _ => true, keepMovie: _ => true, keepRating: Share(0.4))),
        Generated("generated-10k", 10_000, 600, 165, "ml-latest layout, 10,000 movies, 600 users, ~100,000 ratings (the small ml-latest release's shape)"),
        Generated("generated-2k-dense", 2_000, 1_500, 150, "ml-latest layout, 2,000 movies, 1,500 users, ~225,000 ratings (7.5% dense)"),
        Generated("generated-5k-sparse", 5_000, 2_000, 30, "ml-latest layout, 5,000 movies, 2,000 users, ~70,000 ratings (0.7% dense)"),
    ];

    private static DevelopmentDataset Generated(string name, int movies, int users, int perUser, string shape) =>
        new(name, shape, folder => MovieLensLikeCatalogue.Write(folder, movies, users, perUser, Seed));

    // A stable, seeded choice of half the ids: the same ids on every run and machine.
    private static Func<string, bool> Half(string salt) => id => Hash(salt + ":" + id) % 2 == 0;

    private static Func<string, bool> Share(double share)
    {
        var random = new Random(Seed);
        return _ => random.NextDouble() < share; // called once per rating line, in file order
    }

    private static uint Hash(string text)
    {
        var hash = 2166136261u; // FNV-1a: stable across processes, unlike string.GetHashCode
        foreach (var c in text) hash = (hash ^ c) * 16777619u;
        return hash;
    }

    /// <summary>Writes the ML-100K folder <paramref name="source"/> into <paramref name="folder"/>, keeping the users, movies
    /// and rating lines the filters keep (a movie dropped goes from u.item too).</summary>
    private static void Copy(string source, string folder, Func<string, bool> keepUser, Func<string, bool> keepMovie, Func<string, bool> keepRating)
    {
        Directory.CreateDirectory(folder);
        foreach (var name in new[] { "u.genre", "u.user", "u.occupation" })
            if (File.Exists(Path.Combine(source, name))) File.Copy(Path.Combine(source, name), Path.Combine(folder, name), overwrite: true);
        var latin1 = Encoding.Latin1;
        var movies = File.ReadLines(Path.Combine(source, "u.item"), latin1).Where(line => line.Length > 0 && keepMovie(line[..line.IndexOf('|')]));
        File.WriteAllLines(Path.Combine(folder, "u.item"), movies, latin1);
        var ratings = new StringBuilder();
        foreach (var line in File.ReadLines(Path.Combine(source, "u.data"), latin1))
        {
            var fields = line.Split('\t');
            if (fields.Length < 4) continue;
            if (keepUser(fields[0]) && keepMovie(fields[1]) && keepRating(line)) ratings.Append(line).Append('\n');
        }
        File.WriteAllText(Path.Combine(folder, "u.data"), ratings.ToString(), latin1);
    }

    /// <summary>Ratings, users and movies of a written folder, for the table.</summary>
    public static (int Ratings, int Users, int Movies) Count(string folder)
    {
        var ml100k = File.Exists(Path.Combine(folder, "u.data"));
        var lines = File.ReadLines(Path.Combine(folder, ml100k ? "u.data" : "ratings.csv")).Skip(ml100k ? 0 : 1)
            .Select(l => l.Split(ml100k ? '\t' : ',')).Where(f => f.Length >= 2).ToList();
        return (lines.Count, lines.Select(f => f[0]).Distinct().Count(), lines.Select(f => f[1]).Distinct().Count());
    }

    public static string F(double value) => value.ToString(CultureInfo.InvariantCulture);
}
