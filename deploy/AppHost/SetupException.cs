namespace MovieRecommender.AppHost;

/// <summary>Something the AppHost needs is missing or wrong (redis-server, a setting): told in one line, without a stack trace.</summary>
public sealed class SetupException(string message) : Exception(message);
