namespace MovieRecommender.CommandLine;

/// <summary>
/// A bad argument found only once the command runs (e.g. a genre the active version lacks): like a parse error, one
/// line and exit code 2 (<see cref="CommandRunner.UsageError"/>).
/// </summary>
public sealed class UsageException(string message) : UserFacingException(message);
