namespace MovieRecommender.Artifacts;

/// <summary>
/// The live catalogue's changes as the exact reference counts them: the artifact's rows no longer served as they
/// are (taken down, or changed), the rows served in their place or beside them (row, embedding), and each changed
/// movie by id: where it is served now, or null when it is not (taken down).
/// </summary>
public sealed record LiveCatalogueTruth(IReadOnlySet<int> HiddenRows, IReadOnlyList<(int Row, float[] Vector)> Rows,
    IReadOnlyDictionary<string, (int Row, float[] Vector)?> Changed)
{
    public static LiveCatalogueTruth None { get; } = new(new HashSet<int>(), [], new Dictionary<string, (int, float[])?>());
}
