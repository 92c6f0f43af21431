namespace MovieRecommender.Grains;

/// <summary>Where a recommendation's movies come from.</summary>
[GenerateSerializer]
public enum RecommendationSource
{
    /// <summary>The two-tower model: the user's query embedding against every shard.</summary>
    Model = 0,

    /// <summary>The user is unknown to the model: the most popular movies of the training data.</summary>
    Popular = 1,
}
