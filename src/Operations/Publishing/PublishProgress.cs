namespace MovieRecommender.Operations.Publishing;

/// <summary>Progress of one publishing stage: "movies" and "users" in rows, "indexes" in candidate shards whose index is built.</summary>
public sealed record PublishProgress(string Stage, long Done, long Total);
