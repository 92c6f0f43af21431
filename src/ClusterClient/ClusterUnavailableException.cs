namespace MovieRecommender.ClusterClient;

/// <summary>No silo could be reached; the message says where it looked and how to start one.</summary>
public sealed class ClusterUnavailableException(string message, Exception inner) : Exception(message, inner);
