namespace MovieRecommender.Grains.Shards;

/// <summary>
/// One shared array per distinct list of genres. A catalogue has a few hundred distinct lists, but every pushed chunk
/// and every read of the store deserializes each movie's list (and its genre names) anew: at 1M movies that was about
/// 90 MB of identical strings and arrays in a shard. Not thread-safe: one partition's turns use it.
/// </summary>
public sealed class GenreLists
{
    private readonly Dictionary<string, string[]> _byKey = new(StringComparer.Ordinal);

    /// <summary>The shared array equal to <paramref name="genres"/> (the first one seen becomes it).</summary>
    public string[] Shared(string[] genres)
    {
        if (genres.Length == 0) return [];
        var key = string.Join('\u001f', genres);
        if (_byKey.TryGetValue(key, out var shared)) return shared;
        // The names themselves are shared across lists too.
        for (var i = 0; i < genres.Length; i++) genres[i] = string.Intern(genres[i]);
        return _byKey[key] = genres;
    }

    /// <summary>Every list of <paramref name="rows"/> replaced by its shared array, in place.</summary>
    public void ShareAll(string[][] rows)
    {
        for (var i = 0; i < rows.Length; i++)
            if (rows[i] is { } genres) rows[i] = Shared(genres);
    }
}
