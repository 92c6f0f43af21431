namespace MovieRecommender.Grains;

/// <summary>Where a recommendation's movies come from.</summary>
[GenerateSerializer]
public enum RecommendationSource
{
    /// <summary>The two-tower model: the user's query embedding against every shard.</summary>
    Model = 0,

    /// <summary>The user is unknown to the model: the most popular movies of the training data.</summary>
    Popular = 1,

    /// <summary>The user is unknown to the model but has rated movies: a query built from those movies' embeddings.</summary>
    Ratings = 2,

    /// <summary>Movies similar to a movie: its candidate embedding as the query.</summary>
    Similar = 3,

    /// <summary>The user is unknown to the model but gave a profile: the query tower's embedding of their demographics, ratings folded in.</summary>
    Profile = 4,
}
