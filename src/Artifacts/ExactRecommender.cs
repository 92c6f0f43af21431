using MovieRecommender.Index;

namespace MovieRecommender.Artifacts;

/// <summary>
/// The ground truth of serving: a user's top K of users.npy · items.npyᵀ, seen movies excluded, scored in
/// double precision, in <see cref="TopKOrder"/> (the order the shards use). A bounded heap keeps
/// it cheap at a million movies.
/// </summary>
public sealed class ExactRecommender(ModelArtifact artifact)
{
    private readonly Dictionary<string, int> _rowOfItem =
        artifact.Items.Select((item, row) => (item.Id, row)).ToDictionary(p => p.Id, p => p.row, StringComparer.Ordinal);

    public (int Row, double Score)[] TopK(int userRow, int k)
    {
        var excluded = artifact.Users[userRow].Seen.Select(id => _rowOfItem[id]).ToHashSet();
        var query = artifact.UserEmbeddings.Row(userRow);
        // The heap's root is the worst pair kept: the lowest score, then the highest row.
        var heap = new PriorityQueue<int, (double Score, int Row)>(k + 1, TopKOrder.WorstFirst.Instance);
        for (var row = 0; row < artifact.Items.Count; row++)
        {
            if (excluded.Contains(row)) continue;
            var item = artifact.ItemEmbeddings.Row(row);
            double sum = 0;
            for (var d = 0; d < query.Length; d++) sum += (double)query[d] * item[d];
            if (heap.Count < k) heap.Enqueue(row, (sum, row));
            else if (k > 0 && heap.TryPeek(out _, out var worst) && TopKOrder.IsBetter(sum, row, worst.Score, worst.Row))
                heap.EnqueueDequeue(row, (sum, row));
        }
        var result = new (int Row, double Score)[heap.Count];
        for (var i = result.Length - 1; i >= 0; i--)
        {
            heap.TryDequeue(out var row, out var key);
            result[i] = (row, key.Score);
        }
        return result;
    }
}
