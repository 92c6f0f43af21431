using System.Globalization;
using System.Text;

namespace MovieRecommender.Benchmarks.Training;

/// <summary>
/// Writes a seeded ml-latest-layout folder (<c>movies.csv</c>, <c>ratings.csv</c>) shaped like MovieLens' small
/// "latest" release (about 10,000 movies, 600 users, 100,000 ratings): 1 to 3 of the 19 genres per movie, release
/// years leaning recent, titles from a word list, heavy-tailed movie popularity (many movies with one rating) and
/// user activity (at least 20 ratings each, as MovieLens keeps), and a low-rank taste structure tied to the genres,
/// so a recommender has something to learn. The same arguments write the same bytes.
/// </summary>
public static class MovieLensLikeCatalogue
{
    private static readonly string[] Genres =
    [
        "Action", "Adventure", "Animation", "Children", "Comedy", "Crime", "Documentary", "Drama", "Fantasy", "Film-Noir",
        "Horror", "IMAX", "Musical", "Mystery", "Romance", "Sci-Fi", "Thriller", "War", "Western",
    ];

    private static readonly string[] Words =
    [
        "Night", "Day", "Love", "Man", "Woman", "City", "Dark", "Last", "First", "Story", "War", "House", "Dead", "Girl",
        "Boy", "King", "Return", "Secret", "Life", "World", "Star", "Blood", "Summer", "Winter", "Time", "Dream", "River",
        "Road", "Heart", "Fire", "Water", "Ghost", "Island", "Game", "Money", "Family", "Lost", "Great", "Little", "Big",
    ];

    private const int TasteDimensions = 16;

    /// <summary>Writes the folder; returns the number of ratings written.</summary>
    public static int Write(string folder, int movies, int users, int meanRatingsPerUser, int seed)
    {
        Directory.CreateDirectory(folder);
        var random = new Random(seed);

        // Each genre has a direction in taste space; a movie sits near the mean of its genres' directions.
        var genreTaste = Matrix(Genres.Length, TasteDimensions, random, 1.0);
        var movieTaste = new double[movies][];
        var movieGenres = new int[movies][];
        var logPopularity = new double[movies];
        var text = new StringBuilder("movieId,title,genres\n");
        for (var m = 0; m < movies; m++)
        {
            var count = 1 + (random.NextDouble() < 0.5 ? 0 : random.NextDouble() < 0.6 ? 1 : 2);
            movieGenres[m] = Enumerable.Range(0, count).Select(_ => random.Next(Genres.Length)).Distinct().Order().ToArray();
            movieTaste[m] = new double[TasteDimensions];
            for (var d = 0; d < TasteDimensions; d++)
                movieTaste[m][d] = movieGenres[m].Average(g => genreTaste[g][d]) + 0.7 * Gaussian(random);
            // Log-normal popularity: a long tail of movies almost nobody rated, as in MovieLens.
            logPopularity[m] = 1.6 * Gaussian(random);
            var year = 2018 - (int)Math.Min(95, Math.Abs(25 * Gaussian(random)));
            var title = string.Join(' ', Enumerable.Range(0, 1 + random.Next(3)).Select(_ => Words[random.Next(Words.Length)]));
            text.Append(CultureInfo.InvariantCulture, $"{m + 1},\"{title} {m + 1} ({year})\",{string.Join('|', movieGenres[m].Select(g => Genres[g]))}\n");
        }
        File.WriteAllText(Path.Combine(folder, "movies.csv"), text.ToString());

        var ratings = new StringBuilder("userId,movieId,rating,timestamp\n");
        var written = 0;
        var scores = new double[movies];
        var order = new int[movies];
        for (var u = 0; u < users; u++)
        {
            // A user likes one or two genres and has a personal twist.
            var liked = Enumerable.Range(0, 1 + random.Next(2)).Select(_ => random.Next(Genres.Length)).ToArray();
            var taste = new double[TasteDimensions];
            for (var d = 0; d < TasteDimensions; d++) taste[d] = liked.Average(g => genreTaste[g][d]) + 0.5 * Gaussian(random);
            var activity = (int)Math.Clamp(20 + (meanRatingsPerUser - 20) * Math.Exp(1.1 * Gaussian(random) - 0.6), 20, movies / 2);
            // Gumbel top-k: the user's movies, drawn without replacement with probability ∝ popularity × exp(affinity).
            for (var m = 0; m < movies; m++)
            {
                var affinity = 0.0;
                for (var d = 0; d < TasteDimensions; d++) affinity += taste[d] * movieTaste[m][d];
                scores[m] = logPopularity[m] + 0.6 * affinity - Math.Log(-Math.Log(1 - random.NextDouble()));
                order[m] = m;
            }
            Array.Sort(scores, order);
            for (var k = 0; k < activity; k++)
            {
                var m = order[movies - 1 - k];
                var stars = Math.Clamp(Math.Round((3.5 + 0.8 * Gaussian(random)) * 2) / 2, 0.5, 5.0);
                ratings.Append(CultureInfo.InvariantCulture, $"{u + 1},{m + 1},{stars:0.0},{1_500_000_000L + u * 100_000L + k}\n");
                written++;
            }
        }
        File.WriteAllText(Path.Combine(folder, "ratings.csv"), ratings.ToString());
        return written;
    }

    private static double[][] Matrix(int rows, int columns, Random random, double scale) =>
        Enumerable.Range(0, rows).Select(_ => Enumerable.Range(0, columns).Select(_ => scale * Gaussian(random)).ToArray()).ToArray();

    private static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
