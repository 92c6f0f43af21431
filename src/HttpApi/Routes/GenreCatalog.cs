using System.Collections.Concurrent;
using MovieRecommender.Grains.Registry;

namespace MovieRecommender.HttpApi.Routes;

/// <summary>
/// The genres of each version's catalogue (its candidate shards list them), asked once per version and kept: a
/// genre the active version lacks is a 400 listing the genres it has, as the console says, not an empty answer.
/// The active version is the silo's view of it, the one the user grain serving the request reads.
/// </summary>
public sealed class GenreCatalog(IGrainFactory grains, ActiveModelView activeModel)
{
    private readonly ConcurrentDictionary<string, Task<string[]>> _byVersion = new(StringComparer.Ordinal);

    /// <summary>Null when the genre is one of the active version's (or nothing is published: the route says so), else the problem.</summary>
    public async Task<IResult?> Check(MovieFilter filter)
    {
        if (filter.Genre is not { } genre) return null;
        var active = await activeModel.CurrentAsync();
        if (active is null) return null;
        var version = active.Info;
        var lookup = _byVersion.GetOrAdd(version.Version, _ => Load(version));
        string[] genres;
        try
        {
            genres = await lookup;
        }
        catch
        {
            // A shard that did not answer: ask again next time rather than remember the failure.
            _byVersion.TryRemove(new KeyValuePair<string, Task<string[]>>(version.Version, lookup));
            throw;
        }
        // Shards still loading list no genre: not worth remembering.
        if (genres.Length == 0) _byVersion.TryRemove(new KeyValuePair<string, Task<string[]>>(version.Version, lookup));
        return genres.Contains(genre, StringComparer.OrdinalIgnoreCase) ? null
            : ApiProblems.BadParameter("genre", $"genre {QueryValues.Show(genre)} is not a genre of version {version.Version}; its genres are {string.Join(", ", genres)}.");
    }

    private async Task<string[]> Load(ModelVersionInfo version)
    {
        var lists = await Task.WhenAll(Enumerable.Range(0, version.CandidateShards)
            .Select(s => grains.GetGrain<ICandidateShardGrain>(ICandidateShardGrain.Key(version.Version, s)).Genres()));
        return lists.SelectMany(g => g).Distinct(StringComparer.OrdinalIgnoreCase).Order(StringComparer.OrdinalIgnoreCase).ToArray();
    }
}
