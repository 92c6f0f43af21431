namespace MovieRecommender.Grains;

/// <summary>A movie, keyed by its external id: finds the movies nearest to its candidate embedding.</summary>
[Version(1)]
public interface IMovieGrain : IGrainWithStringKey
{
    /// <summary>The K movies with the highest dot product with this movie's candidate embedding, itself excluded.</summary>
    Task<Recommendation> Similar(int k, MovieFilter filter);
}
