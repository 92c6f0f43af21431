namespace MovieRecommender.Grains.Ratings;

/// <summary>
/// A partition's log in memory, by user: each user's live state (what their grain serves from after a restart) and
/// the sealed segments that hold their entries (what an erasure rewrites). Movie ids are shared, so a million
/// ratings of ten thousand movies hold ten thousand id strings.
/// </summary>
public sealed class UserLogIndex
{
    private readonly Dictionary<string, (UserLiveState State, SortedSet<int> Segments)> _users = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _movieIds = new(StringComparer.Ordinal);

    public int Users => _users.Count;

    /// <summary>Adds an entry found in sealed segment <paramref name="segment"/>, or in the open one (null).</summary>
    public void Add(UserLogEntry entry, int? segment)
    {
        if (entry.MovieId is { } movie)
        {
            if (!_movieIds.TryGetValue(movie, out var shared)) _movieIds[movie] = shared = movie;
            entry = entry with { MovieId = shared };
        }
        var (state, segments) = _users.GetValueOrDefault(entry.UserId, (UserLiveState.Empty, []));
        if (segment is { } sealedSegment) segments.Add(sealedSegment);
        _users[entry.UserId] = (state.With(entry), segments);
    }

    /// <summary>The open segment's entries were sealed as segment <paramref name="segment"/>.</summary>
    public void Sealed(IEnumerable<UserLogEntry> entries, int segment)
    {
        foreach (var user in entries.Select(e => e.UserId).Distinct(StringComparer.Ordinal))
            if (_users.TryGetValue(user, out var known)) known.Segments.Add(segment);
    }

    public UserLiveState? StateOf(string userId) => _users.TryGetValue(userId, out var known) ? known.State : null;

    /// <summary>The sealed segments holding the user's entries.</summary>
    public IReadOnlyCollection<int> SegmentsOf(string userId) => _users.TryGetValue(userId, out var known) ? known.Segments : [];

    public bool Remove(string userId) => _users.Remove(userId);
}
