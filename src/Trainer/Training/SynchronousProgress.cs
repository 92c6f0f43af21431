namespace MovieRecommender.Trainer.Training;

/// <summary>An <see cref="IProgress{T}"/> that calls its handler on the reporting thread, in order
/// (<see cref="Progress{T}"/> posts to the thread pool and may reorder or lag).</summary>
public sealed class SynchronousProgress<T>(Action<T> handler) : IProgress<T>
{
    public void Report(T value) => handler(value);
}
