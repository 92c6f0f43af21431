using System.Globalization;

namespace MovieRecommender.CommandLine;

/// <summary>Reads one value: the value, or why not (an empty reason: only the expectation is said).</summary>
internal delegate (T? Value, string? Error) ValueParser<T>(string text);

/// <summary>
/// The rules <see cref="ValueRules"/> offers, each as the expectation <c>--help</c> shows and the parser that checks a
/// value against it: integers and numbers in a range, text, choices, booleans, and paths that exist or can be written.
/// </summary>
internal static class ValueParsers
{
    /// <summary>A text parser for an option of <c>string</c> or <c>string?</c> (one type at run time).</summary>
    public static ValueParser<T> Typed<T>(ValueParser<string> parser) where T : class? => text =>
    {
        var (value, error) = parser(text);
        return ((T?)(object?)value, error);
    };

    public static string IntegerRule(int min, int max) =>
        max == int.MaxValue ? $"an integer of at least {min}" : $"an integer from {min} to {max}";

    public static ValueParser<int> IntegerParser(int min, int max) => text =>
    {
        var trimmed = text.Trim();
        if (trimmed.Length == 0) return (0, "");
        if (!long.TryParse(trimmed, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
            return (0, trimmed.All(c => char.IsAsciiDigit(c) || c is '-' or '+') && trimmed.Any(char.IsAsciiDigit) ? "too large" : "");
        return value < min ? (0, "too small") : value > max ? (0, "too large") : ((int)value, null);
    };

    public static string NumberRule(double min, double max, bool above)
    {
        var low = above ? $"greater than {F(min)}" : $"of at least {F(min)}";
        return max == double.MaxValue ? $"a number {low}" : above ? $"a number greater than {F(min)} and at most {F(max)}" : $"a number from {F(min)} to {F(max)}";
    }

    public static ValueParser<double> NumberParser(double min, double max, bool above) => text =>
    {
        var trimmed = text.Trim();
        if (trimmed.Length == 0 || !double.TryParse(trimmed, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || double.IsNaN(value))
            return (0, "");
        if (double.IsInfinity(value)) return (0, "too large");
        return value < min || above && value <= min ? (0, "too small") : value > max ? (0, "too large") : (value, null);
    };

    public static string F(double value) => value.ToString(CultureInfo.InvariantCulture);

    public static string TextRule(int maxLength) => $"a non-blank text of at most {maxLength} characters";

    public static ValueParser<string> TextParser(int maxLength) => text =>
        string.IsNullOrWhiteSpace(text) ? (null, "") : text.Length > maxLength ? (null, "too long") : (text, null);

    public static string ChoiceRule(string[] choices) => $"one of {string.Join(", ", choices)}";

    public static ValueParser<string> ChoiceParser(string[] choices) => text =>
        choices.FirstOrDefault(c => string.Equals(c, text.Trim(), StringComparison.OrdinalIgnoreCase)) is { } choice ? (choice, null) : (null, "");

    public static (bool, string?) BoolParser(string text) =>
        bool.TryParse(text.Trim(), out var value) ? (value, null) : (false, "");

    public const string FolderRule = "an existing folder";
    public const string FileRule = "an existing file";
    public const string WriteFileRule = "a file path that can be written";
    public const string WriteFolderRule = "a folder path that can be written";

    public static (string?, string?) FolderParser(string text) =>
        string.IsNullOrWhiteSpace(text) ? (null, "")
        : Directory.Exists(text) ? (text, null)
        : File.Exists(text) ? (null, "it is a file")
        : (null, "no such folder");

    public static (string?, string?) FileParser(string text) =>
        string.IsNullOrWhiteSpace(text) ? (null, "")
        : File.Exists(text) ? (text, null)
        : Directory.Exists(text) ? (null, "it is a folder")
        : (null, "no such file");

    public static (string?, string?) WriteFileParser(string text)
    {
        if (string.IsNullOrWhiteSpace(text)) return (null, "");
        if (Directory.Exists(text)) return (null, "it is a folder");
        string full;
        try { full = Path.GetFullPath(text); }
        catch (Exception e) when (e is ArgumentException or NotSupportedException or PathTooLongException) { return (null, "not a valid path"); }
        return WritableProblem(Path.GetDirectoryName(full)) is { } problem ? (null, problem) : (text, null);
    }

    public static (string?, string?) WriteFolderParser(string text)
    {
        if (string.IsNullOrWhiteSpace(text)) return (null, "");
        if (File.Exists(text)) return (null, "it is a file");
        string full;
        try { full = Path.GetFullPath(text); }
        catch (Exception e) when (e is ArgumentException or NotSupportedException or PathTooLongException) { return (null, "not a valid path"); }
        return WritableProblem(full) is { } problem ? (null, problem) : (text, null);
    }

    /// <summary>Why <paramref name="folder"/> (or, when it does not exist yet, its nearest existing parent, where it
    /// would be created) cannot be written, or null when it can: tried by creating and deleting a file there.</summary>
    public static string? WritableProblem(string? folder)
    {
        var existing = folder;
        while (existing is not null && !Directory.Exists(existing))
        {
            if (File.Exists(existing)) return $"{existing} is a file";
            existing = Path.GetDirectoryName(existing);
        }
        if (existing is null) return "no folder of it exists";
        try
        {
            using var probe = new FileStream(Path.Combine(existing, $".write-probe-{Guid.NewGuid():N}"), FileMode.CreateNew, FileAccess.Write,
                FileShare.None, 1, FileOptions.DeleteOnClose);
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return $"{existing} is not writable";
        }
    }
}
