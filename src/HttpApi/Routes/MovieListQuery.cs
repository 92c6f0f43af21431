namespace MovieRecommender.HttpApi.Routes;

/// <summary>
/// The query the routes that answer with movies read (<c>?k=&amp;genre=&amp;yearFrom=&amp;yearTo=</c>, a user's
/// recommendations and a movie's similar ones), checked as the console checks its options. (Each route declares
/// the four parameters itself: bound with <c>[AsParameters]</c>, they break Microsoft.AspNetCore.OpenApi 10's
/// document, which cannot read their descriptions.)
/// </summary>
public readonly record struct MovieListQuery(string? K, string? Genre, string? YearFrom, string? YearTo)
{
    public const int MinYear = 1800;
    public const int MaxYear = 2100;
    public const int DefaultK = 10;

    /// <summary>How many movies and which; a malformed value, or a year range that ends before it starts, is a problem.</summary>
    public bool TryRead(out int count, out MovieFilter filter, out IResult? problem)
    {
        count = 0;
        filter = MovieFilter.None;
        if (!QueryValues.TryInteger(K, "k", 1, IUserGrain.MaxK, DefaultK, out var k, out problem)) return false;
        if (!QueryValues.TryInteger(YearFrom, "yearFrom", MinYear, MaxYear, null, out var from, out problem)) return false;
        if (!QueryValues.TryInteger(YearTo, "yearTo", MinYear, MaxYear, null, out var to, out problem)) return false;
        if (from > to)
        {
            problem = ApiProblems.BadParameter("yearFrom", $"yearFrom {from} is after yearTo {to}.");
            return false;
        }
        if (Genre is not null && (string.IsNullOrWhiteSpace(Genre) || Genre.Length > 100))
        {
            problem = ApiProblems.BadParameter("genre", $"genre expects a non-blank text of at most 100 characters, got {QueryValues.Show(Genre)}.");
            return false;
        }
        count = k!.Value;
        filter = new MovieFilter(Genre?.Trim(), from, to);
        return true;
    }
}
