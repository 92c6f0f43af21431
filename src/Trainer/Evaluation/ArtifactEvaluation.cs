using MovieRecommender.Artifacts;
using MovieRecommender.Trainer.Data;
using MovieRecommender.Trainer.Training;

namespace MovieRecommender.Trainer.Evaluation;

/// <summary>
/// Recomputes an artifact's evaluation table from what it ships, not from the trainer's memory: its
/// embeddings scored by their plain dot product, its users' <c>seen</c> lists as the training pairs, and
/// every other interaction of the dataset as the test pairs.
/// </summary>
public static class ArtifactEvaluation
{
    public static EvaluationTable Recompute(ModelArtifact artifact, InteractionDataset dataset)
    {
        var itemRow = Index(artifact.Items.Select(i => i.Id), "movie", ArtifactFiles.Items);
        var userRow = Index(artifact.Users.Select(u => u.Id), "user", ArtifactFiles.Users);

        var trainUsers = new List<int>();
        var trainItems = new List<int>();
        var train = new HashSet<(int User, int Item)>();
        for (var u = 0; u < artifact.Users.Count; u++)
            foreach (var id in artifact.Users[u].Seen)
            {
                var item = itemRow[id];
                if (train.Add((u, item))) { trainUsers.Add(u); trainItems.Add(item); }
            }

        var testUsers = new List<int>();
        var testItems = new List<int>();
        for (var k = 0; k < dataset.PairCount; k++)
        {
            var userId = dataset.Users[dataset.PairUsers[k]].Id;
            var itemId = dataset.Items[dataset.PairItems[k]].Id;
            if (!userRow.TryGetValue(userId, out var u) || !itemRow.TryGetValue(itemId, out var i))
                throw new InvalidDataException($"the dataset has the pair (user {userId}, movie {itemId}) which the artifact does not know; is it the dataset the artifact was trained on?");
            if (!train.Contains((u, i))) { testUsers.Add(u); testItems.Add(i); }
        }
        if (train.Count + testUsers.Count != dataset.PairCount)
            throw new InvalidDataException($"the artifact's seen lists hold {train.Count} pairs of which not all are in the dataset's {dataset.PairCount}; is it the dataset the artifact was trained on?");

        var users = artifact.Users.Count;
        var items = artifact.Items.Count;
        return TrainingPipeline.Evaluate(
            SparseRows.Build(users, items, [.. trainUsers], [.. trainItems]),
            SparseRows.Build(users, items, [.. testUsers], [.. testItems]),
            artifact.UserEmbeddings, artifact.ItemEmbeddings, EaseLambda(artifact.Manifest));
    }

    /// <summary>The λ the artifact's EASE row was computed with: chosen on validation by the trainer, or 500 in artifacts written before it chose.</summary>
    public static double EaseLambda(ModelManifest manifest) =>
        manifest.HyperParameters["easeLambda"] is { } lambda && lambda.GetValueKind() == System.Text.Json.JsonValueKind.Number
            ? lambda.GetValue<double>() : EaseBaseline.DefaultLambda;

    /// <summary>The largest absolute difference between two tables over every method, ranking and K.</summary>
    public static double MaxDifference(EvaluationTable a, EvaluationTable b)
    {
        static IEnumerable<double> Values(EvaluationTable t) =>
            new[] { t.Model, t.Popularity, t.Ease }.SelectMany(m => EvaluationTable.Ks.SelectMany(k => new[] { m.All[$"{k}"], m.SeenExcluded[$"{k}"] }));
        return Values(a).Zip(Values(b), (x, y) => Math.Abs(x - y)).Max();
    }

    private static Dictionary<string, int> Index(IEnumerable<string> ids, string what, string file)
    {
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var id in ids)
            if (!index.TryAdd(id, index.Count)) throw new InvalidDataException($"{file}: {what} id '{id}' appears twice.");
        return index;
    }
}
