using MovieRecommender.Artifacts;
using MovieRecommender.Artifacts.Towers;
using MovieRecommender.Trainer.Data;
using MovieRecommender.Trainer.Training;

namespace MovieRecommender.Trainer.Evaluation.ColdStart;

/// <summary>
/// How well the model serves what it never saw, measured as serving would meet it. <b>Movies:</b> a seeded
/// <see cref="ColdStartCarve.HeldOutShare"/> of the movies leaves the dataset with every rating of them; the rest is split
/// 80/20 as usual and the model trained on the 80%; the held-out movies are embedded from their features alone by the
/// artifact's towers (<see cref="FeatureTowers.EmbedNewMovie"/>, serving's code); every rating of a held-out movie is a
/// test pair, its user ranking every movie, warm and cold, their training movies excluded. Beside it, the content
/// baseline and random on the same candidates. <b>Users:</b> a seeded share of users leaves with every rating; the
/// model trained on 80% of the rest; each held-out user embedded from demographics (<see cref="FeatureTowers.EmbedNewUser"/>)
/// ranks every movie for each of their pairs, beside the most-rated movies in training. Ties count in the target's favour,
/// as everywhere in the evaluation (<see cref="TopKEvaluator"/>).
/// </summary>
public static class ColdStartEvaluation
{
    /// <summary>
    /// With <paramref name="validation"/>, the same protocol one level down, to choose by without the test pairs: the test
    /// run's held-out movies (users) and its 20% test pairs are removed first, and a second carve, drawn with seed + 1, is
    /// held out of the training pairs that are left.
    /// </summary>
    public static ColdMovieFigures Movies(InteractionDataset dataset, TrainingConfig config, bool validation, CancellationToken ct)
    {
        if (validation)
        {
            var (rest, _) = ColdStartCarve.WithoutMovies(dataset, ColdStartCarve.HeldOut(dataset.Items.Count, config.Seed));
            dataset = ColdStartCarve.TrainingPairsOnly(rest, ColdStartCarve.Split(rest, config.Seed));
            config = config with { Seed = config.Seed + 1 };
        }
        var heldOut = ColdStartCarve.HeldOut(dataset.Items.Count, config.Seed);
        var (warm, original) = ColdStartCarve.WithoutMovies(dataset, heldOut);
        var split = ColdStartCarve.Split(warm, config.Seed);
        using var model = TwoTowerTrainer.Train(warm, split, config, cancellationToken: ct);
        var towers = model.Towers ?? throw new InvalidOperationException("the configuration has no movie features: a new movie cannot be embedded.");

        // Every movie in the full dataset's order: warm rows as trained, held-out rows from their features alone.
        var items = new float[(long)dataset.Items.Count * towers.RowWidth];
        for (var k = 0; k < original.Length; k++)
            model.ItemEmbeddings.Row(k).CopyTo(items.AsSpan(original[k] * towers.RowWidth, towers.RowWidth));
        foreach (var i in heldOut)
        {
            var movie = dataset.Items[i];
            towers.EmbedNewMovie(movie.Title, movie.Genres, movie.Year).CopyTo(items.AsSpan(i * towers.RowWidth, towers.RowWidth));
        }

        var train = SparseRows.Build(dataset.Users.Count, dataset.Items.Count, split.TrainUsers, split.TrainItems.Select(k => original[k]).ToArray());
        var isHeldOut = new HashSet<int>(heldOut);
        var pairs = Enumerable.Range(0, dataset.PairCount).Where(p => isHeldOut.Contains(dataset.PairItems[p])).ToArray();
        var test = SparseRows.Build(dataset.Users.Count, dataset.Items.Count, pairs.Select(p => dataset.PairUsers[p]).ToArray(), pairs.Select(p => dataset.PairItems[p]).ToArray());

        IReadOnlyDictionary<string, double> modelFigures;
        using (var scorer = new EmbeddingScorer(model.UserEmbeddings, new EmbeddingMatrix(dataset.Items.Count, towers.RowWidth, items)))
            modelFigures = TopKEvaluator.Evaluate(scorer, train, test).SeenExcluded;
        var content = TopKEvaluator.Evaluate(new ContentBaseline(FeatureEncoder.Items(dataset.Items), train), train, test).SeenExcluded;
        var random = TopKEvaluator.Evaluate(new RandomScorer(dataset.Items.Count, config.Seed), train, test).SeenExcluded;
        return new ColdMovieFigures(heldOut.Length, pairs.Length, ColdFigures.Of(modelFigures), ColdFigures.Of(content), ColdFigures.Of(random),
            towers.Settings.ColdMovieBias, Math.Round(model.TrainingSeconds, 1));
    }

    /// <summary>The users held out with <paramref name="seed"/>: a shuffle of their own, not the movies' (seed + 1000).</summary>
    private static int[] HeldOutUsers(InteractionDataset dataset, int seed) => ColdStartCarve.HeldOut(dataset.Users.Count, seed + 1_000);

    /// <summary>The held-out users' figures; <paramref name="validation"/> as for <see cref="Movies"/>.</summary>
    public static ColdUserFigures Users(InteractionDataset dataset, TrainingConfig config, bool validation, CancellationToken ct)
    {
        if (validation)
        {
            var rest = ColdStartCarve.WithoutUsersPairs(dataset, HeldOutUsers(dataset, config.Seed));
            dataset = ColdStartCarve.TrainingPairsOnly(rest, ColdStartCarve.Split(rest, config.Seed));
            config = config with { Seed = config.Seed + 1 };
        }
        var heldOut = HeldOutUsers(dataset, config.Seed);
        var warm = ColdStartCarve.WithoutUsersPairs(dataset, heldOut);
        var split = ColdStartCarve.Split(warm, config.Seed);
        using var model = TwoTowerTrainer.Train(warm, split, config, cancellationToken: ct);
        var towers = model.Towers ?? throw new InvalidOperationException("the configuration has no movie features: the artifact carries no towers.");

        // Every user's row as trained, the held-out users' from demographics alone; one the tower knows nothing of ranks by the movies' bias.
        var users = (float[])model.UserEmbeddings.Values.Clone();
        var width = model.UserEmbeddings.Columns;
        var unknown = 0;
        foreach (var u in heldOut)
        {
            var user = dataset.Users[u];
            var row = towers.EmbedNewUser(user.Age, user.Gender, user.Occupation, user.Zip);
            if (row is null)
            {
                unknown++;
                row = new float[width];
                if (towers.Settings.BiasColumn) row[^1] = 1;
            }
            row.CopyTo(users.AsSpan(u * width, width));
        }

        var train = SparseRows.Build(dataset.Users.Count, dataset.Items.Count, split.TrainUsers, split.TrainItems);
        var isHeldOut = new HashSet<int>(heldOut);
        var pairs = Enumerable.Range(0, dataset.PairCount).Where(p => isHeldOut.Contains(dataset.PairUsers[p])).ToArray();
        var test = SparseRows.Build(dataset.Users.Count, dataset.Items.Count, pairs.Select(p => dataset.PairUsers[p]).ToArray(), pairs.Select(p => dataset.PairItems[p]).ToArray());

        IReadOnlyDictionary<string, double> modelFigures;
        using (var scorer = new EmbeddingScorer(new EmbeddingMatrix(dataset.Users.Count, width, users), model.ItemEmbeddings))
            modelFigures = TopKEvaluator.Evaluate(scorer, train, test).SeenExcluded;
        var popular = TopKEvaluator.Evaluate(new PopularityBaseline(train), train, test).SeenExcluded;
        return new ColdUserFigures(heldOut.Length, pairs.Length, unknown, ColdFigures.Of(modelFigures), ColdFigures.Of(popular), Math.Round(model.TrainingSeconds, 1));
    }
}

/// <summary>Top-10 and top-100 hit rates over a cold-start evaluation's pairs.</summary>
public sealed record ColdFigures(double Top10, double Top100)
{
    public static ColdFigures Of(IReadOnlyDictionary<string, double> figures) => new(figures["10"], figures["100"]);
}

/// <summary>The held-out movies' evaluation: how many movies and pairs, the model, content and random figures, the cold bias served.</summary>
public sealed record ColdMovieFigures(int HeldOutMovies, int Pairs, ColdFigures Model, ColdFigures Content, ColdFigures Random, float ColdMovieBias, double TrainingSeconds);

/// <summary>The held-out users' evaluation: how many users and pairs (and users the tower knew nothing of), the model and popular figures.</summary>
public sealed record ColdUserFigures(int HeldOutUsers, int Pairs, int UnknownUsers, ColdFigures Model, ColdFigures Popular, double TrainingSeconds);
