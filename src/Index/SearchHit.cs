namespace MovieRecommender.Index;

/// <summary>One result: the row's index in the shard (0-based) and its exact float32 dot product with the query.</summary>
public readonly record struct SearchHit(int Id, float Score);
