namespace MovieRecommender.Artifacts;

/// <summary>An artifact that cannot be served as it is: the message, one line, says which file and what is wrong.</summary>
public sealed class ArtifactException(string message, Exception? inner = null) : Exception(OneLine(message), inner)
{
    // Messages quote what the files hold (headers, ids, JSON errors): never let them break the one-line convention.
    private static string OneLine(string message) =>
        string.Join(' ', message.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
}
