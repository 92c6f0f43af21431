namespace MovieRecommender.CommandLine;

/// <summary>A failure the user can fix; its message, one line, says what was wrong and what to do.</summary>
public class UserFacingException(string message, Exception? inner = null) : Exception(message, inner);
