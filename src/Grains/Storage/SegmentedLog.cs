using System.Collections.Immutable;

namespace MovieRecommender.Grains.Storage;

/// <summary>
/// The append of a segmented log: a grain keeps an open segment in its own state and moves each full segment to a
/// grain of its own, so a write costs the same at the millionth entry as at the first (only the open segment is
/// rewritten). Sealed segments are stored before the grain's state counts them: a crash in between leaves the
/// entries in the open segment, where a restart finds them, and the next seal writes that segment again.
/// </summary>
public static class SegmentedLog
{
    /// <summary>The open segment and sealed count after appending <paramref name="entries"/>; the caller writes its state with them.</summary>
    /// <param name="storeSegment">Stores sealed segment number N (its entries, oldest first).</param>
    public static async Task<(ImmutableList<T> Open, int SealedSegments)> AppendAsync<T>(
        ImmutableList<T> open, int sealedSegments, IEnumerable<T> entries, int segmentSize, Func<int, T[], Task> storeSegment)
    {
        open = open.AddRange(entries);
        while (open.Count >= segmentSize)
        {
            await storeSegment(sealedSegments, [.. open.Take(segmentSize)]);
            open = open.RemoveRange(0, segmentSize);
            sealedSegments++;
        }
        return (open, sealedSegments);
    }
}
