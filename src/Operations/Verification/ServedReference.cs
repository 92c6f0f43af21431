using MovieRecommender.Artifacts;
using MovieRecommender.Grains;

namespace MovieRecommender.Operations.Verification;

/// <summary>What the cluster should answer one user: the source, and the exact top K (for the popular list, its first K).</summary>
public sealed record ExpectedAnswer(RecommendationSource Source, (int Row, double Score)[] Movies);

/// <summary>
/// What the cluster should serve each user beside an artifact, recomputed on the client from what the cluster
/// keeps: the live catalogue's changes (<see cref="LiveCatalogueReference"/>), the ratings and profiles in the user
/// log, folded and excluded as the user grain does (<see cref="LiveQuery"/>), and the erasures (an erased user is
/// one the model does not know). Everything is read before any user is asked.
/// </summary>
public sealed class ServedReference
{
    private readonly ModelArtifact _artifact;
    private readonly ActiveModel _active;
    private readonly ExactRecommender _exact;
    private readonly Dictionary<string, int> _userRow;
    private readonly Dictionary<string, int> _itemRow;
    // The live catalogue's movies as the version serves them now: row and embedding, or null when taken down.
    private readonly IReadOnlyDictionary<string, (int Row, float[] Vector)?> _changed;
    private readonly HashSet<int> _withdrawn;
    private readonly Dictionary<string, UserLiveState> _live;
    private readonly HashSet<string> _erased;

    private ServedReference(ModelArtifact artifact, ActiveModel active, IReadOnlyCollection<LiveMovie> changes,
        Dictionary<string, UserLiveState> live, HashSet<string> erased)
    {
        _artifact = artifact;
        _active = active;
        _live = live;
        _erased = erased;
        var truth = LiveCatalogueReference.FromChanges(artifact, changes);
        _exact = new ExactRecommender(artifact, truth);
        _userRow = artifact.Users.Select((u, row) => (u.Id, row)).ToDictionary(p => p.Id, p => p.row, StringComparer.Ordinal);
        _itemRow = artifact.Items.Select((item, row) => (item.Id, row)).ToDictionary(p => p.Id, p => p.row, StringComparer.Ordinal);

        _changed = truth.Changed;
        var putRows = truth.Rows.Select(r => r.Row).ToHashSet();
        _withdrawn = [.. truth.HiddenRows.Where(row => !putRows.Contains(row))];
        LiveChanges = changes.Count;
        Users = [.. artifact.Users.Select(u => u.Id).Concat(live.Keys.Where(id => !_userRow.ContainsKey(id)))];
        UsersWithLiveState = Users.Count(id => live.ContainsKey(id) || erased.Contains(id));
    }

    /// <summary>Every user to check: the artifact's, then those only the user log knows.</summary>
    public IReadOnlyList<string> Users { get; }

    public int LiveChanges { get; }

    /// <summary>Users with ratings or a profile recorded since training, or erased.</summary>
    public int UsersWithLiveState { get; }

    public static async Task<ServedReference> ReadAsync(IGrainFactory grains, ModelArtifact artifact, CancellationToken ct = default)
    {
        var active = await grains.GetGrain<IModelRegistryGrain>(IModelRegistryGrain.DefaultKey).GetActive()
            ?? throw new InvalidOperationException("No model is published yet: publish the artifact first ('publish ARTIFACT_DIR').");
        var changes = await ILiveCatalogueGrain.ListAllAsync(grains);
        var live = new Dictionary<string, UserLiveState>(StringComparer.Ordinal);
        await foreach (var entry in IRatingLogGrain.ReadAllAsync(grains, ct))
            live[entry.UserId] = live.GetValueOrDefault(entry.UserId, UserLiveState.Empty).With(entry);
        var erased = await IRatingLogGrain.ErasedUsersAsync(grains);
        return new ServedReference(artifact, active, changes, live, erased);
    }

    /// <summary>The movie's row and embedding as the version serves it now; null when it is not served.</summary>
    private (int Row, float[] Vector)? Served(string movieId) =>
        _changed.TryGetValue(movieId, out var changed) ? changed
        : _itemRow.TryGetValue(movieId, out var row) ? (row, _artifact.ItemEmbeddings.Row(row).ToArray())
        : null;

    public ExpectedAnswer Expected(string userId, int k)
    {
        var live = _live.GetValueOrDefault(userId, UserLiveState.Empty);
        // An erased user keeps no row: they are served as a user the model does not know.
        int? row = !_erased.Contains(userId) && _userRow.TryGetValue(userId, out var r) ? r : null;
        var featureEmbedding = row is null && live.Demographics is { } d ? _artifact.Towers?.EmbedNewUser(d.Age, d.Gender, d.Occupation, d.Zip) : null;
        var embedding = row is { } known ? _artifact.UserEmbeddings.Row(known).ToArray() : featureEmbedding;
        var seen = row is { } trained ? _artifact.Users[trained].Seen.Select(id => _itemRow[id]).ToArray() : [];
        var rated = live.Ratings.Select(rating => rating.MovieId).Distinct(StringComparer.Ordinal)
            .Select(Served).OfType<(int Row, float[] Vector)>().ToArray();
        var (query, excluded) = LiveQuery.Build(embedding, seen, rated, _active.Info.BiasColumn, _active.Info.MeanUserNorm);
        if (query is null)
        {
            var popular = _active.Popular.Where(p => Array.BinarySearch(excluded, p.Movie.Row) < 0 && !_withdrawn.Contains(p.Movie.Row))
                .Take(k).Select(p => (p.Movie.Row, (double)p.Movie.Score)).ToArray();
            return new ExpectedAnswer(RecommendationSource.Popular, popular);
        }
        var source = row is not null ? RecommendationSource.Model : featureEmbedding is not null ? RecommendationSource.Profile : RecommendationSource.Ratings;
        return new ExpectedAnswer(source, _exact.TopK(query, excluded.ToHashSet(), k));
    }
}
