namespace MovieRecommender.Grains;

/// <summary>
/// How a failure of the grain storage (Redis down, a timeout) is worded for a person, by the grains and by a
/// publishing client alike: "Type: first clause". Orleans' Redis storage names the grain and key, then Redis' own
/// exception, whose message runs on with connection diagnostics; only its first clause is kept.
/// </summary>
public static class StoreErrorWording
{
    private static readonly string[] Cuts = ["; ", ", next:", ", inst:", ", mc:", " (Please take a look", ", serverEndpoint", "\n", "\r"];

    public static string FirstClause(string type, string message)
    {
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
