namespace MovieRecommender.Grains.Storage;

/// <summary>
/// Words for a failure of the grain storage (Redis down, a timeout): what did not happen and what still holds,
/// with the store's own error cut to its first clause. Thrown as a plain <see cref="InvalidOperationException"/>, a
/// type every client deserializes as itself (a type of this assembly would reach a client as Orleans' fallback), so
/// the caller's one-line error reads as written here.
/// </summary>
public static class StoreFailure
{
    /// <summary>The message, ending with the store's error, with the store's exception inside.</summary>
    public static InvalidOperationException Exception(string message, Exception inner) => new(message, inner);

    /// <summary>
    /// Makes <paramref name="next"/> the grain's state and durable, or, when the store fails, puts the state that
    /// was there back before the error reaches the caller, so memory never holds what a restart would not reload.
    /// </summary>
    /// <param name="describe">The caller's sentence, given the store's error (<see cref="Summary"/>).</param>
    public static async Task WriteOrRestoreAsync<T>(IPersistentState<T> state, T next, Func<string, string> describe)
    {
        var before = state.State;
        state.State = next;
        try
        {
            await state.WriteStateAsync();
        }
        catch (System.Exception e)
        {
            state.State = before;
            throw Exception(describe(Summary(e)), e);
        }
    }

    /// <summary>The innermost error as "Type: first clause" (<see cref="StoreErrorWording"/>).</summary>
    public static string Summary(System.Exception e)
    {
        var inner = e;
        while (inner.InnerException is not null) inner = inner.InnerException;
        return StoreErrorWording.FirstClause(inner.GetType().Name, inner.Message);
    }
}
