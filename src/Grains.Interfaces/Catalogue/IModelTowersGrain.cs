namespace MovieRecommender.Grains;

/// <summary>
/// One version's feature towers (key: the version), and where each of its movies lives. Embeds a movie or a user the
/// version never saw from features alone, as the trainer's towers do with the id left out.
/// </summary>
[Version(1)]
public interface IModelTowersGrain : IGrainWithStringKey
{
    /// <summary>Stores the towers and the catalogue's ids (the publisher's first step).</summary>
    /// <remarks>Longer than Orleans' 30 s: a 10M catalogue's ids are received, placed and stored in one call, which
    /// outlasted 30 s (the 10M serve benchmark's publish failed on it).</remarks>
    [ResponseTimeout("00:05:00")]
    Task Load(ModelTowers towers);

    /// <summary>Where each movie lives in this version: a known movie where its row is, a new one by <see cref="LiveRows.ShardOf"/>.</summary>
    [AlwaysInterleave]
    Task<MoviePlacement[]> Place(string[] movieIds);

    /// <summary>The served row of a movie from its description: a new movie from features alone, a known one
    /// (<paramref name="row"/>, served as <paramref name="current"/> described as <paramref name="before"/>) keeping its id embedding.</summary>
    [AlwaysInterleave]
    Task<float[]> EmbedMovie(MovieDescription description, int row, float[]? current, MovieDescription? before);

    /// <summary>A new user's query row from demographics; null when the tower knows none of them.</summary>
    [AlwaysInterleave]
    Task<float[]?> EmbedUser(UserDemographics demographics);

    /// <summary>The genres the candidate tower knows (empty: the version cannot embed a new movie).</summary>
    [AlwaysInterleave]
    Task<string[]> Genres();

    /// <summary>The towers as loaded (for a backup), read again from the store; throws <see cref="VersionNotLoadedException"/> when the version holds none.</summary>
    /// <remarks>As long as <see cref="Load"/> may take: the same ids, read back and sent.</remarks>
    [ResponseTimeout("00:05:00")]
    Task<ModelTowers> Export();

    Task Retire();
}
