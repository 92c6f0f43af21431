using MovieRecommender.Index;

namespace MovieRecommender.Artifacts;

/// <summary>
/// The ground truth of serving: a user's top K of users.npy · items.npyᵀ, seen movies excluded, scored in
/// double precision, in <see cref="TopKOrder"/> (the order the shards use). A bounded heap keeps
/// it cheap at a million movies. With <paramref name="live"/>, the live catalogue's changes count too: its hidden
/// rows are left out and its put movies ranked with the rest.
/// </summary>
public sealed class ExactRecommender(ModelArtifact artifact, LiveCatalogueTruth? live = null)
{
    private readonly Dictionary<string, int> _rowOfItem =
        artifact.Items.Select((item, row) => (item.Id, row)).ToDictionary(p => p.Id, p => p.row, StringComparer.Ordinal);

    /// <summary>The user's top K, among the rows <paramref name="keep"/> accepts when given (a filtered request's).</summary>
    public (int Row, double Score)[] TopK(int userRow, int k, Predicate<int>? keep = null) =>
        TopK(artifact.UserEmbeddings.Row(userRow), artifact.Users[userRow].Seen.Select(id => _rowOfItem[id]).ToHashSet(), k, keep);

    /// <summary>
    /// The top K of any query (a user's once their ratings since training are folded in: <see cref="LiveQuery"/>),
    /// <paramref name="excluded"/> rows left out, and any row <paramref name="keep"/> (when given) rejects.
    /// </summary>
    public (int Row, double Score)[] TopK(ReadOnlySpan<float> query, IReadOnlySet<int> excluded, int k, Predicate<int>? keep = null)
    {
        // The heap's root is the worst pair kept: the lowest score, then the highest row.
        var heap = new PriorityQueue<int, (double Score, int Row)>(k + 1, TopKOrder.WorstFirst.Instance);
        var hidden = live?.HiddenRows;
        var extra = live?.Rows ?? [];
        for (var at = 0; at < artifact.Items.Count + extra.Count; at++)
        {
            var isSealed = at < artifact.Items.Count;
            var row = isSealed ? at : extra[at - artifact.Items.Count].Row;
            if (excluded.Contains(row) || isSealed && hidden is not null && hidden.Contains(row) || keep is not null && !keep(row)) continue;
            var item = isSealed ? artifact.ItemEmbeddings.Row(at) : extra[at - artifact.Items.Count].Vector;
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
