namespace MovieRecommender.Index;

/// <summary>
/// The one order of every top K in the product: the higher score first and, on equal scores, the lower id (a shard's
/// row, or a global row). The index, the shards' merge, the exact reference and the tests all rank by it, so two
/// answers to the same query can be compared position by position.
/// </summary>
public static class TopKOrder
{
    public static bool IsBetter(float score, int id, float otherScore, int otherId) =>
        score > otherScore || (score == otherScore && id < otherId);

    public static bool IsBetter(double score, int id, double otherScore, int otherId) =>
        score > otherScore || (score == otherScore && id < otherId);

    /// <summary>A comparison for sorting best first: negative when (score, id) ranks before (otherScore, otherId).</summary>
    public static int BestFirst(float score, int id, float otherScore, int otherId) =>
        IsBetter(score, id, otherScore, otherId) ? -1 : IsBetter(otherScore, otherId, score, id) ? 1 : 0;

    public static int BestFirst(double score, int id, double otherScore, int otherId) =>
        IsBetter(score, id, otherScore, otherId) ? -1 : IsBetter(otherScore, otherId, score, id) ? 1 : 0;

    public static bool IsBetter(SearchHit hit, SearchHit other) => IsBetter(hit.Score, hit.Id, other.Score, other.Id);

    /// <summary>A comparison of hits for sorting best first.</summary>
    public static int BestFirst(SearchHit hit, SearchHit other) => BestFirst(hit.Score, hit.Id, other.Score, other.Id);

    /// <summary>The items best first by this order.</summary>
    public static IEnumerable<T> OrderBestFirst<T>(this IEnumerable<T> source, Func<T, double> score, Func<T, int> id) =>
        source.OrderByDescending(score).ThenBy(id);

    /// <summary>A heap's order that puts the worst held pair at the root (for keeping the K best in a min-heap).</summary>
    public sealed class WorstFirst : IComparer<(float Score, int Id)>, IComparer<(double Score, int Id)>
    {
        public static readonly WorstFirst Instance = new();

        public int Compare((float Score, int Id) x, (float Score, int Id) y) => -BestFirst(x.Score, x.Id, y.Score, y.Id);

        public int Compare((double Score, int Id) x, (double Score, int Id) y) => -BestFirst(x.Score, x.Id, y.Score, y.Id);
    }
}
