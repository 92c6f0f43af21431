using Microsoft.AspNetCore.Http;
using MovieRecommender.Grains;
using MovieRecommender.Http.Problems;

namespace MovieRecommender.Http.Routes;

/// <summary>The genre and release-year filters of the recommendation and similar-movie routes, read as the console's.</summary>
public static class MovieFilters
{
    public const int MinYear = 1800;
    public const int MaxYear = 2100;

    /// <summary>The filter asked for; a malformed year or a range that ends before it starts is a problem.</summary>
    public static bool TryRead(string? genre, string? yearFrom, string? yearTo, out MovieFilter filter, out IResult? problem)
    {
        filter = MovieFilter.None;
        if (!QueryValues.TryInteger(yearFrom, "yearFrom", MinYear, MaxYear, null, out var from, out problem)) return false;
        if (!QueryValues.TryInteger(yearTo, "yearTo", MinYear, MaxYear, null, out var to, out problem)) return false;
        if (from > to)
        {
            problem = ApiProblems.BadParameter("yearFrom", $"yearFrom {from} is after yearTo {to}.");
            return false;
        }
        if (genre is not null && (string.IsNullOrWhiteSpace(genre) || genre.Length > 100))
        {
            problem = ApiProblems.BadParameter("genre", $"genre expects a non-blank text of at most 100 characters, got {QueryValues.Show(genre)}.");
            return false;
        }
        filter = new MovieFilter(genre?.Trim(), from, to);
        return true;
    }
}
