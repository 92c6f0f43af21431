using MovieRecommender.Artifacts;
using MovieRecommender.Grains;

namespace MovieRecommender.Benchmarks.Serving;

/// <summary>A genre and year filter and the share of the catalogue it keeps.</summary>
public sealed record FilterChoice(MovieFilter Filter, int Kept, double Share)
{
    public override string ToString() =>
        $"genre {Filter.Genre ?? "any"}, years {Filter.MinYear}-{Filter.MaxYear}: {Kept:N0} movies ({Share:P2})";

    /// <summary>
    /// The genre and year range (one genre, or none, and an inclusive range of years) whose share of the artifact's
    /// movies is nearest to <paramref name="share"/>: what a "comedies of the nineties" request keeps.
    /// </summary>
    public static FilterChoice ForShare(ModelArtifact artifact, double share)
    {
        var items = artifact.Items;
        var target = share * items.Count;
        var years = items.Where(i => i.Year is not null).Select(i => i.Year!.Value).Distinct().Order().ToArray();
        if (years.Length == 0) throw new ArgumentException("The artifact's movies have no years to filter on.", nameof(artifact));
        var yearIndex = years.Select((y, i) => (y, i)).ToDictionary(p => p.y, p => p.i);
        var genres = items.SelectMany(i => i.Genres).Distinct(StringComparer.OrdinalIgnoreCase).Order(StringComparer.Ordinal).Prepend(null).ToArray();
        FilterChoice? best = null;
        foreach (var genre in genres)
        {
            // Movies of this genre per year, then every contiguous range of years by prefix sums.
            var perYear = new long[years.Length + 1];
            foreach (var item in items)
                if (item.Year is { } y && (genre is null || item.Genres.Contains(genre, StringComparer.OrdinalIgnoreCase)))
                    perYear[yearIndex[y] + 1]++;
            for (var i = 1; i < perYear.Length; i++) perYear[i] += perYear[i - 1];
            for (var from = 0; from < years.Length; from++)
            for (var to = from; to < years.Length; to++)
            {
                var kept = perYear[to + 1] - perYear[from];
                if (best is null || Math.Abs(kept - target) < Math.Abs(best.Kept - target))
                    best = new FilterChoice(new MovieFilter(genre, years[from], years[to]), (int)kept, (double)kept / items.Count);
                if (kept > target) break;
            }
        }
        return best!;
    }
}
