namespace MovieRecommender.Artifacts;

/// <summary>One user of the artifact: row r of <c>users.tsv</c> describes row r of <c>users.npy</c>.
/// <paramref name="Seen"/> holds the item ids the user interacted with in training.</summary>
public sealed record ArtifactUser(string Id, IReadOnlyList<string> Seen);
