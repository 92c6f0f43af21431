namespace MovieRecommender.Grains.Storage;

/// <summary>
/// Group commit for a reentrant grain: callers add an item and wait; one commit at a time takes every item waiting
/// and writes them together, so concurrent changes share one durable write and one call per shard instead of one
/// each. A failed commit fails each of its callers, and the next batch is tried on its own. Used on one grain's
/// turns only, so no lock guards the queue; <see cref="RunExclusiveAsync"/> runs other work between commits.
/// </summary>
/// <param name="gather">
/// How long a commit waits for more items before it takes them: zero commits at once; a few milliseconds turn a
/// steady stream of single items into batches, so a store whose every write has a fixed cost writes less often.
/// </param>
public sealed class GroupCommit<T>(Func<IReadOnlyList<T>, Task> commit, TimeSpan gather = default)
{
    private readonly SemaphoreSlim _turn = new(1, 1);
    private List<(T Item, TaskCompletionSource Done)> _waiting = [];

    /// <summary>Completes once the item is committed (with the others waiting beside it).</summary>
    public Task AddAsync(T item)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _waiting.Add((item, done));
        _ = DrainAsync();
        return done.Task;
    }

    /// <summary>Runs <paramref name="work"/> with no commit beside it.</summary>
    public async Task RunExclusiveAsync(Func<Task> work)
    {
        await _turn.WaitAsync();
        try
        {
            await work();
        }
        finally
        {
            _turn.Release();
        }
    }

    private Task DrainAsync() => RunExclusiveAsync(async () =>
    {
        while (_waiting.Count > 0)
        {
            if (gather > TimeSpan.Zero) await Task.Delay(gather);
            var batch = _waiting;
            _waiting = [];
            try
            {
                await commit([.. batch.Select(b => b.Item)]);
                foreach (var (_, done) in batch) done.TrySetResult();
            }
            catch (Exception e)
            {
                foreach (var (_, done) in batch) done.TrySetException(e);
            }
        }
    });
}
