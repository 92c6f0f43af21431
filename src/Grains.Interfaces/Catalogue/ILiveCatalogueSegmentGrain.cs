namespace MovieRecommender.Grains;

/// <summary>
/// A sealed segment of a live catalogue partition's log (key: <see cref="Key"/>): written once, read on the
/// partition's activation. Keeping sealed changes here is what keeps a put's cost flat: the partition rewrites only
/// its open segment.
/// </summary>
[Version(1)]
public interface ILiveCatalogueSegmentGrain : IGrainWithStringKey
{
    static string Key(int partition, int segment) => $"{partition}/{segment}";

    Task Store(LiveMovie[] changes);

    Task<LiveMovie[]> Read();
}
