using System.Text.Json;
using MovieRecommender.Artifacts;
using MovieRecommender.Artifacts.Towers;
using MovieRecommender.Grains.Shards;

namespace MovieRecommender.Grains.Catalogue;

/// <summary>
/// A version's towers as a towers grain serves them: the artifact's <see cref="FeatureTowers"/> (null when it has
/// none), and each catalogue movie's row, from which its shard follows.
/// </summary>
public sealed class LoadedTowers
{
    // The catalogue's ids in byte order and each one's row: about 15 bytes a movie, where a dictionary over the
    // pushed strings held 70 (the candidate shards hold the same ids already).
    private readonly Utf8Column _sortedIds;
    private readonly int[] _rowOfSorted;

    public LoadedTowers(ModelTowers pushed)
    {
        Model = pushed.Model;
        _sortedIds = Utf8Column.Sorted(pushed.MovieIds, out _rowOfSorted, "Movie id");
        if (pushed.SettingsJson is null) return;
        var settings = JsonSerializer.Deserialize<TowerSettings>(pushed.SettingsJson, TowerSettings.JsonOptions)
            ?? throw new ArgumentException($"Version {Model.Version}: the towers' settings are empty.");
        var dim = settings.Dimension;
        Towers = new FeatureTowers(settings,
            new EmbeddingMatrix(settings.MovieVocabulary.Count, dim, pushed.MovieFeatures),
            pushed.UserFeatures is { } users ? new EmbeddingMatrix(settings.UserVocabulary.Count, dim, users) : null,
            pushed.MovieNorms);
    }

    public ModelVersionInfo Model { get; }

    public FeatureTowers? Towers { get; }

    public MoviePlacement Place(string movieId)
    {
        var found = _sortedIds.IndexOfSorted(movieId);
        if (found < 0)
            return new MoviePlacement(LiveRows.ShardOf(movieId, Model.CandidateShards), -1, Known: false);
        var row = _rowOfSorted[found];
        return new MoviePlacement(Partitioning.ShardOfRow(Model.ItemCount, Model.CandidateShards, row), row, Known: true);
    }

    /// <summary>The towers, or why this version cannot embed from features.</summary>
    public FeatureTowers Require() => Towers ?? throw new NotSupportedException(
        $"Version {Model.Version} carries no feature towers (it was trained without movie features, or before artifacts carried them); " +
        "train a model with the default features and publish it to add movies or embed new users.");
}
