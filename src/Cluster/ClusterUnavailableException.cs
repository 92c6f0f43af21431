namespace MovieRecommender.Cluster;

/// <summary>
/// No silo could be reached; the message says where it looked and how to start one. An <see cref="IOException"/>
/// (the network failed us), so a console program tells it in one line like any other I/O failure.
/// </summary>
public sealed class ClusterUnavailableException(string message, Exception inner) : IOException(message, inner);
