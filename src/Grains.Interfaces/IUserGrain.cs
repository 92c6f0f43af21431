namespace MovieRecommender.Grains;

/// <summary>
/// A user, keyed by their external id: caches their query embedding for the active version, serves their
/// recommendations and records their new ratings.
/// </summary>
[Version(1)]
public interface IUserGrain : IGrainWithStringKey
{
    const int MaxK = 1000;
    const double MinRating = 0.5;
    const double MaxRating = 5;

    /// <summary>The user's K best movies (1 ≤ K ≤ <see cref="MaxK"/>) not seen in training nor rated since, best first.</summary>
    Task<Recommendation> Recommend(int k);

    /// <summary>The same, restricted to the movies the filter accepts.</summary>
    Task<Recommendation> Recommend(int k, MovieFilter filter);

    /// <summary>The same, with per-request search parameters (within <see cref="SearchTuning"/>'s limits).</summary>
    Task<Recommendation> Recommend(int k, MovieFilter filter, SearchTuning tuning);

    /// <summary>
    /// Records a rating (0.5 to 5): durable at once, the movie excluded from the next recommendation, the query
    /// embedding refreshed from it; a user unknown to the model gets recommendations from their ratings.
    /// </summary>
    Task Rate(string movieId, double rating);

    /// <summary>
    /// Records what the user tells of themselves. A user the model does not know is then served from the query
    /// tower's embedding of it (source <see cref="RecommendationSource.Profile"/>), their ratings folded in; a known
    /// user keeps their trained embedding, which knows them better.
    /// </summary>
    Task SetProfile(UserDemographics demographics);

    /// <summary>
    /// Erases everything the cluster keeps of the user: their ratings and profile from the log and its store, and
    /// their row from every kept version (they are served as a user the model does not know); no version published
    /// later brings the row back. The erasure is recorded without the data. False when nothing of them was kept.
    /// </summary>
    Task<bool> Erase();
}
