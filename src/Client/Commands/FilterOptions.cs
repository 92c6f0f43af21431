using System.CommandLine;
using MovieRecommender.Grains;

namespace MovieRecommender.Client.Commands;

/// <summary>The genre and release-year options of <c>recommend</c> and <c>similar</c>.</summary>
public sealed class FilterOptions
{
    private readonly Option<string?> _genre = new("--genre") { Description = "Only movies of this genre, e.g. Comedy." };
    private readonly Option<int?> _from = new("--year-from") { Description = "Only movies released in or after this year." };
    private readonly Option<int?> _to = new("--year-to") { Description = "Only movies released in or before this year." };

    public static FilterOptions Create()
    {
        var options = new FilterOptions();
        options._to.Validators.Add(result =>
        {
            var from = result.GetResult(options._from)?.GetValueOrDefault<int?>();
            var to = result.GetValueOrDefault<int?>();
            if (from is not null && to is not null && from > to) result.AddError($"--year-from {from} is after --year-to {to}.");
        });
        return options;
    }

    public IEnumerable<Option> All => [_genre, _from, _to];

    public MovieFilter Read(ParseResult parsed) =>
        new(string.IsNullOrWhiteSpace(parsed.GetValue(_genre)) ? null : parsed.GetValue(_genre), parsed.GetValue(_from), parsed.GetValue(_to));
}
