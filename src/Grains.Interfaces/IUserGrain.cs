namespace MovieRecommender.Grains;

/// <summary>A user, keyed by their external id: caches their query embedding and serves their recommendations.</summary>
public interface IUserGrain : IGrainWithStringKey
{
    const int MaxK = 1000;

    /// <summary>The user's K best movies (1 ≤ K ≤ <see cref="MaxK"/>) not seen in training, best first.</summary>
    Task<Recommendation> Recommend(int k);
}
