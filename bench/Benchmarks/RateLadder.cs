using System.Globalization;
using MovieRecommender.CommandLine;

namespace MovieRecommender.Benchmarks;

/// <summary>
/// The request rates a benchmark climbs to find the highest sustained one: an explicit list, or a geometric ladder
/// (start, times a factor, up to a maximum, each rounded to 10 req/s); then bisection between the last pass and the first miss.
/// </summary>
public static class RateLadder
{
    public const string ListRule = "comma-separated positive request rates, e.g. 100,200,400";

    public static double[] Rungs(string? explicitRates, double start, double factor, double max)
    {
        if (!string.IsNullOrWhiteSpace(explicitRates))
        {
            var list = TryParseList(explicitRates, out var error) ?? throw new UserFacingException($"--rates: {error}");
            return list.Length > 0 ? list : throw new UserFacingException("--rates names no rate.");
        }
        if (start <= 0 || factor <= 1 || max < start) throw new UserFacingException("--start-rps must be positive, --factor above 1, --max-rps at least --start-rps.");
        var rates = new List<double>();
        for (var r = start; r <= max * 1.0001; r *= factor) rates.Add(Math.Max(10, Math.Round(r / 10) * 10));
        return [.. rates.Distinct()];
    }

    /// <summary>The rates of a list like "100,200,400", ascending and distinct; null (and why) when one is not a positive number.</summary>
    public static double[]? TryParseList(string text, out string error)
    {
        error = "";
        var rates = new List<double>();
        foreach (var part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!double.TryParse(part, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || !double.IsFinite(value) || value <= 0 || value > 10_000_000)
            {
                error = $"'{part}' is not a positive number of requests per second (at most 10,000,000).";
                return null;
            }
            rates.Add(value);
        }
        return [.. rates.Distinct().Order()];
    }

    /// <summary>The rate halfway between a pass and a miss, rounded to 10 req/s; null when no rounded rate lies strictly between.</summary>
    public static double? Midpoint(double pass, double miss)
    {
        var mid = Math.Round((pass + miss) / 2 / 10) * 10;
        return mid > pass && mid < miss ? mid : null;
    }
}
