namespace MovieRecommender.Trainer;

/// <summary>An error the user can fix (a bad option, a missing folder, a malformed data file): the program prints
/// its message alone on stderr and exits non-zero. Derives from the shared CLI exception that <c>CommandRunner</c> catches.</summary>
public sealed class UserFacingException(string message, Exception? inner = null)
    : MovieRecommender.Model.Cli.UserFacingException(message, inner);
