using System.Text;

namespace MovieRecommender.Trainer.Tests;

/// <summary>Synthetic MovieLens folders for tests (written into a <see cref="TempFolder"/>), and the shared real ML-100K.</summary>
public static class TestData
{
    /// <summary>A u.item line with the given genre flag indexes set.</summary>
    public static string ItemLine(int id, string title, string date, params int[] genres)
    {
        var flags = new string[19];
        for (var g = 0; g < 19; g++) flags[g] = genres.Contains(g) ? "1" : "0";
        return $"{id}|{title}|{date}||http://example.org/{id}|{string.Join('|', flags)}";
    }

    /// <summary>
    /// A synthetic ML-100K-layout folder with learnable structure: users and movies fall into
    /// <paramref name="groups"/> groups (by genre and by occupation); each user rates most movies of its own group
    /// and a few others.
    /// </summary>
    public static void WriteSynthetic100K(string dir, int users = 60, int items = 40, int groups = 3, int seed = 7)
    {
        var random = new Random(seed);
        var item = new StringBuilder();
        for (var i = 1; i <= items; i++)
            item.Append(ItemLine(i, $"Movie {i} ({1990 + i % 8})", $"01-Jan-{1990 + i % 8}", 1 + (i % groups))).Append('\n');
        File.WriteAllText(Path.Combine(dir, "u.item"), item.ToString(), Encoding.Latin1);
        var user = new StringBuilder();
        var data = new StringBuilder();
        string[] occupations = ["writer", "engineer", "artist", "doctor"];
        for (var u = 1; u <= users; u++)
        {
            var group = u % groups;
            user.Append($"{u}|{20 + u % 40}|{(u % 2 == 0 ? "M" : "F")}|{occupations[group % occupations.Length]}|{10000 + u}\n");
            for (var i = 1; i <= items; i++)
            {
                var own = i % groups == group;
                if (random.NextDouble() < (own ? 0.7 : 0.05))
                    data.Append($"{u}\t{i}\t{1 + random.Next(5)}\t{880000000 + u * 100 + i}\n");
            }
        }
        File.WriteAllText(Path.Combine(dir, "u.user"), user.ToString());
        File.WriteAllText(Path.Combine(dir, "u.data"), data.ToString());
    }

    /// <summary>
    /// A synthetic ml-latest-layout folder (ratings.csv, movies.csv with quoted titles) with group structure like
    /// <see cref="WriteSynthetic100K"/> but no demographics, and many more movies than users.
    /// </summary>
    public static void WriteSyntheticLatest(string dir, int users = 80, int items = 600, int groups = 4, int seed = 11)
    {
        var random = new Random(seed);
        string[] genres = ["Drama", "Comedy", "Action", "Horror"];
        var movies = new StringBuilder("movieId,title,genres\n");
        for (var i = 1; i <= items; i++)
            movies.Append($"{i * 10},\"Film {i}, The ({1980 + i % 30})\",{genres[i % groups % genres.Length]}|Indie\n");
        File.WriteAllText(Path.Combine(dir, "movies.csv"), movies.ToString());
        var ratings = new StringBuilder("userId,movieId,rating,timestamp\n");
        for (var u = 1; u <= users; u++)
            for (var i = 1; i <= items; i++)
                if (random.NextDouble() < (i % groups == u % groups ? 0.12 : 0.005))
                    ratings.Append($"{u},{i * 10},{0.5 + random.Next(10) * 0.5:F1},{1500000000 + u * 1000 + i}\n");
        File.WriteAllText(Path.Combine(dir, "ratings.csv"), ratings.ToString());
    }

    /// <summary>The real ML-100K: $MOVIELENS_DIR if it holds u.data, else ../shared/data/ml-100k beside the folder holding Orleans.sln.</summary>
    public static string RealMl100K()
    {
        var env = Environment.GetEnvironmentVariable("MOVIELENS_DIR");
        if (!string.IsNullOrEmpty(env) && File.Exists(Path.Combine(env, "u.data"))) return env;
        return Path.GetFullPath(Path.Combine(RepositoryRoot.Path, "..", "shared", "data", "ml-100k"));
    }
}
