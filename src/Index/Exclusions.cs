namespace MovieRecommender.Index;

/// <summary>The ids a search must skip, sorted ascending; checked only for candidates that would enter the top K'.</summary>
internal readonly ref struct Exclusions(ReadOnlySpan<int> sorted)
{
    private readonly ReadOnlySpan<int> _sorted = sorted;

    public bool IsEmpty => _sorted.IsEmpty;

    public bool Contains(int id) => !_sorted.IsEmpty && _sorted.BinarySearch(id) >= 0;

    /// <summary>How many distinct excluded ids fall in [0, count).</summary>
    public int CountWithin(int count)
    {
        var n = 0;
        var previous = -1;
        foreach (var id in _sorted)
        {
            if (id >= 0 && id < count && id != previous) n++;
            previous = id;
        }
        return n;
    }
}
