namespace MovieRecommender.Operations.Publishing;

/// <summary>
/// A publish stopped because the cluster's store (Redis) failed; the message says which version still serves and
/// what to do. An <see cref="InvalidOperationException"/>, so the command line prints its message as one line.
/// </summary>
public sealed class PublishStoreException : InvalidOperationException
{
    public PublishStoreException(string message, Exception inner) : base(message, inner) { }

    public PublishStoreException(string message) : base(message) { }

    public PublishStoreException() { }
}
