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

    private static readonly string[] Cuts = ["; ", ", next:", ", inst:", ", mc:", " (Please take a look", ", serverEndpoint", "\n", "\r"];

    /// <summary>
    /// The innermost error as "Type: first clause": Orleans' Redis storage names the grain and key, then Redis'
    /// own exception, whose message runs on with connection diagnostics.
    /// </summary>
    public static string Summary(System.Exception e)
    {
        var inner = e;
        while (inner.InnerException is not null) inner = inner.InnerException;
        var type = inner.GetType().Name;
        var message = inner.Message;
        var marker = message.LastIndexOf("Exception: ", StringComparison.Ordinal);
        if (marker >= 0)
        {
            var start = message.LastIndexOf(' ', marker) + 1;
            type = message[start..(marker + "Exception".Length)];
            type = type[(type.LastIndexOf('.') + 1)..];
            message = message[(marker + "Exception: ".Length)..];
        }
        foreach (var cut in Cuts)
        {
            var at = message.IndexOf(cut, StringComparison.Ordinal);
            if (at > 0) message = message[..at];
        }
        message = message.Trim().TrimEnd('.');
        if (message.Length > 160) message = message[..157] + "...";
        return $"{type}: {message}";
    }
}
