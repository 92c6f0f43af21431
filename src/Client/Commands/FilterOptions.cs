using System.CommandLine;
using MovieRecommender.Cluster;
using MovieRecommender.CommandLine;
using MovieRecommender.Grains;

namespace MovieRecommender.Client.Commands;

/// <summary>The genre and release-year options of <c>recommend</c> and <c>similar</c>.</summary>
public sealed class FilterOptions
{
    public const int MinYear = 1800;
    public const int MaxYear = 2100;

    private readonly Option<string?> _genre = new Option<string?>("--genre") { Description = "Only movies of this genre, e.g. Comedy; one the active version's catalogue has." }.Text(maxLength: 100);
    private readonly Option<int?> _from = new Option<int?>("--year-from") { Description = "Only movies released in or after this year." }.Integer(MinYear, MaxYear);
    private readonly Option<int?> _to = new Option<int?>("--year-to") { Description = "Only movies released in or before this year." }.Integer(MinYear, MaxYear);

    public static FilterOptions Create() => new();

    public IEnumerable<Option> All => [_genre, _from, _to];

    /// <summary>The filter asked for; a year range that ends before it starts is a usage error.</summary>
    public MovieFilter Read(ParseResult parsed)
    {
        var (from, to) = (parsed.GetValue(_from), parsed.GetValue(_to));
        if (from is not null && to is not null && from > to) throw new UsageException($"--year-from {from} is after --year-to {to}.");
        return new(parsed.GetValue(_genre)?.Trim(), from, to);
    }

    /// <summary>
    /// Checks the genre against the active version's catalogue (its candidate shards list the genres they hold):
    /// a genre the catalogue lacks is a usage error listing the genres it has, not an empty answer.
    /// </summary>
    public static async Task CheckGenreAsync(ClusterConnection cluster, MovieFilter filter)
    {
        if (filter.Genre is not { } genre) return;
        var active = await cluster.Client.GetGrain<IModelRegistryGrain>(IModelRegistryGrain.DefaultKey).GetActive();
        if (active is null) return; // nothing published: the command itself says so
        var lists = await Task.WhenAll(Enumerable.Range(0, active.Info.CandidateShards)
            .Select(s => cluster.Client.GetGrain<ICandidateShardGrain>(ICandidateShardGrain.Key(active.Info.Version, s)).Genres()));
        var genres = lists.SelectMany(g => g).Distinct(StringComparer.OrdinalIgnoreCase).Order(StringComparer.OrdinalIgnoreCase).ToArray();
        if (!genres.Contains(genre, StringComparer.OrdinalIgnoreCase))
            throw new UsageException($"--genre {ValueRules.Show(genre)} is not a genre of version {active.Info.Version}; its genres are {string.Join(", ", genres)}.");
    }
}
