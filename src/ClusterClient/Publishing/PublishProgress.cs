namespace MovieRecommender.ClusterClient.Publishing;

/// <summary>Progress of one publishing stage ("movies", "users"), in rows.</summary>
public sealed record PublishProgress(string Stage, long Done, long Total);
