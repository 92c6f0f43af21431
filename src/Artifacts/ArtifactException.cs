namespace MovieRecommender.Artifacts;

/// <summary>An artifact that cannot be served as it is: the message says which file and what is wrong.</summary>
public sealed class ArtifactException(string message, Exception? inner = null) : Exception(message, inner);
