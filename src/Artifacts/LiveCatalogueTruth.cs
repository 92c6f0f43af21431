namespace MovieRecommender.Artifacts;

/// <summary>
/// The live catalogue's changes as the exact reference counts them: the artifact's rows no longer served as they
/// are (taken down, or changed), and the rows served in their place or beside them (row, embedding).
/// </summary>
public sealed record LiveCatalogueTruth(IReadOnlySet<int> HiddenRows, IReadOnlyList<(int Row, float[] Vector)> Rows)
{
    public static LiveCatalogueTruth None { get; } = new(new HashSet<int>(), []);
}
