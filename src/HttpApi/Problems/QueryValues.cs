using System.Globalization;

namespace MovieRecommender.HttpApi.Problems;

/// <summary>
/// Reads query and path values as the console reads its options, with its wording:
/// <c>k expects an integer from 1 to 1000, got '0': too small.</c>
/// </summary>
public static class QueryValues
{
    private const int ShownLength = 40;

    /// <summary>An optional integer in [min, max]: its value (or <paramref name="fallback"/> when absent), or the problem.</summary>
    public static bool TryInteger(string? text, string name, int min, int max, int? fallback, out int? value, out IResult? problem)
    {
        problem = null;
        value = fallback;
        if (text is null) return true;
        var trimmed = text.Trim();
        var rule = $"an integer from {min} to {max}";
        if (!long.TryParse(trimmed, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var parsed))
        {
            var tooLarge = trimmed.Length > 0 && trimmed.All(c => char.IsAsciiDigit(c) || c is '-' or '+') && trimmed.Any(char.IsAsciiDigit);
            problem = ApiProblems.BadParameter(name, $"{name} expects {rule}, got {Show(text)}{(tooLarge ? ": too large" : "")}.");
            return false;
        }
        if (parsed < min || parsed > max)
        {
            problem = ApiProblems.BadParameter(name, $"{name} expects {rule}, got {Show(text)}: too {(parsed < min ? "small" : "large")}.");
            return false;
        }
        value = (int)parsed;
        return true;
    }

    /// <summary>A number in [min, max], or the problem.</summary>
    public static bool TryNumber(double? number, string name, double min, double max, out IResult? problem)
    {
        problem = number is { } n && double.IsFinite(n) && n >= min && n <= max ? null
            : ApiProblems.BadParameter(name, $"{name} expects a number from {min.ToString(CultureInfo.InvariantCulture)} to {max.ToString(CultureInfo.InvariantCulture)}, got {(number is { } v ? v.ToString(CultureInfo.InvariantCulture) : "nothing")}.");
        return problem is null;
    }

    /// <summary>A MovieLens id (a positive integer), or the problem naming what it expects.</summary>
    /// <param name="name">The id's name, <c>movieId</c>, or where it is in a body, <c>ratings[3].movieId</c>.</param>
    public static bool TryId(string text, string name, string example, out IResult? problem)
    {
        var ok = text.Length <= 18 && long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var id) && id > 0;
        problem = ok ? null : ApiProblems.BadParameter(name, IdExpected(name, example, Show(text)));
        return ok;
    }

    /// <summary>What a malformed id is told: <c>movieId expects a movie id (a positive integer, e.g. 50), got '-3'.</c></summary>
    /// <param name="got">What was sent, as the message shows it (a quoted text, or a JSON value's description).</param>
    public static string IdExpected(string name, string example, string got)
    {
        var field = name[(name.LastIndexOf('.') + 1)..];
        return $"{name} expects a {field.Replace("Id", " id", StringComparison.Ordinal)} (a positive integer, e.g. {example}), got {got}.";
    }

    /// <summary>A value as a message quotes it: on one line, at most 40 characters.</summary>
    public static string Show(string value)
    {
        var cut = value.Length > ShownLength ? value[..ShownLength] : value;
        var clean = new string(cut.Select(c => char.IsControl(c) ? ' ' : c).ToArray());
        return value.Length > ShownLength ? $"'{clean}...' ({value.Length} characters)" : $"'{clean}'";
    }
}
