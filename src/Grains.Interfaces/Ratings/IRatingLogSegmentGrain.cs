namespace MovieRecommender.Grains;

/// <summary>
/// A sealed segment of a user log partition (key: <see cref="Key"/>): written when the partition's open segment fills,
/// rewritten only by an erasure, read on the partition's activation and by exports.
/// </summary>
[Version(1)]
public interface IRatingLogSegmentGrain : IGrainWithStringKey
{
    static string Key(int partition, int segment) => $"{partition}/{segment}";

    Task Store(UserLogEntry[] entries);

    Task<UserLogEntry[]> Read();
}
