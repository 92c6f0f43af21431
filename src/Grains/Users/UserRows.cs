using MovieRecommender.Grains.Shards;

namespace MovieRecommender.Grains.Users;

/// <summary>
/// A user shard's users of one version in flat arrays: their ids as UTF-8 in byte order (found by binary search),
/// their query embeddings in one row-major float array and their seen movies in one int array with an end per user.
/// A million users as a dictionary of profiles were four million small objects, about 100 bytes each above the
/// data, which every full garbage collection walked; here they are five arrays.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record UserRows
{
    [Id(0)] public int Dimension { get; init; }
    // Every id in byte order (found by binary search).
    [Id(1)] public Utf8Column Ids { get; init; } = new();
    // Count x Dimension, row i the query embedding of id i.
    [Id(2)] public float[] Vectors { get; init; } = [];
    // User i's seen movies (item rows, ascending) are Seen[SeenEnds[i - 1]..SeenEnds[i]].
    [Id(3)] public int[] SeenEnds { get; init; } = [];
    [Id(4)] public int[] Seen { get; init; } = [];

    public int Count => SeenEnds.Length;

    public static UserRows Empty(int dimension) => new() { Dimension = dimension };

    /// <summary>The user's place in these rows, or -1.</summary>
    public int IndexOf(string userId) => Ids.IndexOfSorted(userId);

    public string IdAt(int index) => Ids[index];

    public ReadOnlySpan<float> VectorAt(int index) => Vectors.AsSpan(index * Dimension, Dimension);

    public ReadOnlySpan<int> SeenAt(int index) => Seen.AsSpan(Start(SeenEnds, index), SeenEnds[index] - Start(SeenEnds, index));

    /// <summary>User <paramref name="index"/> as the profile a user grain keeps while it is active: its own copy.</summary>
    public UserProfile ProfileAt(int index) => new(VectorAt(index).ToArray(), SeenAt(index).ToArray());

    /// <summary>The profile of <paramref name="userId"/>, or null when these rows do not hold it.</summary>
    public UserProfile? Find(string userId) => IndexOf(userId) is var index and >= 0 ? ProfileAt(index) : null;

    /// <summary>These rows without user <paramref name="index"/> (an erasure): new arrays, these stay as they were.</summary>
    public UserRows Without(int index)
    {
        int[] others = [.. Enumerable.Range(0, Count).Where(i => i != index)];
        var seenStart = Start(SeenEnds, index);
        var seenLength = SeenEnds[index] - seenStart;
        var seenEnds = SeenEnds.AsSpan(index + 1).ToArray();
        for (var i = 0; i < seenEnds.Length; i++) seenEnds[i] -= seenLength;
        return this with
        {
            Ids = Ids.Select(others),
            Vectors = [.. Vectors.AsSpan(0, index * Dimension), .. Vectors.AsSpan((index + 1) * Dimension)],
            SeenEnds = [.. SeenEnds.AsSpan(0, index), .. seenEnds],
            Seen = [.. Seen.AsSpan(0, seenStart), .. Seen.AsSpan(SeenEnds[index])],
        };
    }

    private static int Start(int[] ends, int index) => index == 0 ? 0 : ends[index - 1];
}
