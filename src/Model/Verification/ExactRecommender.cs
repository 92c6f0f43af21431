using MovieRecommender.Model.Artifacts;

namespace MovieRecommender.Model.Verification;

/// <summary>
/// The ground truth of serving: a user's top K of users.npy · items.npyᵀ, seen movies excluded, scored in
/// double precision, best first and the lower row on ties (the order the shards use).
/// </summary>
public sealed class ExactRecommender(ModelArtifact artifact)
{
    private readonly Dictionary<string, int> _rowOfItem =
        artifact.Items.Select((item, row) => (item.Id, row)).ToDictionary(p => p.Id, p => p.row, StringComparer.Ordinal);

    public (int Row, double Score)[] TopK(int userRow, int k)
    {
        var excluded = artifact.Users[userRow].Seen.Select(id => _rowOfItem[id]).ToHashSet();
        var query = artifact.UserEmbeddings.Row(userRow);
        var scores = new List<(int Row, double Score)>(artifact.Items.Count);
        for (var row = 0; row < artifact.Items.Count; row++)
        {
            if (excluded.Contains(row)) continue;
            var item = artifact.ItemEmbeddings.Row(row);
            double sum = 0;
            for (var d = 0; d < query.Length; d++) sum += (double)query[d] * item[d];
            scores.Add((row, sum));
        }
        return [.. scores.OrderByDescending(s => s.Score).ThenBy(s => s.Row).Take(k)];
    }
}
