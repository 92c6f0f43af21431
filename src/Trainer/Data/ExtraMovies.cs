namespace MovieRecommender.Trainer.Data;

/// <summary>
/// The movies of <c>train --extra-movies</c> on their way into a layout's catalogue: each replaces the movie of its id or is
/// added; the layout reader applies them (<see cref="Apply"/>) and counts which was which for the load's report.
/// </summary>
public sealed class ExtraMovies(string path, IReadOnlyList<DatasetItem> movies)
{
    public string Path { get; } = path;
    public IReadOnlyList<DatasetItem> Movies { get; } = movies;
    public int Replaced { get; private set; }
    public int Added { get; private set; }

    /// <summary>
    /// Puts every movie into a catalogue keyed by id (ml-latest, ml-1m): a listed id's movie replaced, a new id added.
    /// Returns the keys of all of them: they belong to the dataset even if nobody rated them.
    /// </summary>
    public IReadOnlyList<string> Apply(Dictionary<string, DatasetItem> catalogue)
    {
        foreach (var movie in Movies)
        {
            if (catalogue.ContainsKey(movie.Id)) Replaced++;
            else Added++;
            catalogue[movie.Id] = movie;
        }
        return Movies.Select(m => m.Id).ToList();
    }

    /// <summary>
    /// The same for ML-100K's catalogue keyed by title (<paramref name="keyOfId"/>: each id's key; <paramref name="movieOfKey"/>:
    /// the movie under a key): a listed id keeps its key and its movie's (smallest) id and takes the new title, genres and
    /// year; a new id gets a key of its own, so a new movie is never merged into another by its title.
    /// </summary>
    public IReadOnlyList<string> Apply(Dictionary<string, string> keyOfId, Dictionary<string, DatasetItem> movieOfKey)
    {
        var keys = new List<string>(Movies.Count);
        foreach (var movie in Movies)
        {
            if (keyOfId.TryGetValue(movie.Id, out var key))
            {
                movieOfKey[key] = movie with { Id = movieOfKey[key].Id };
                Replaced++;
            }
            else
            {
                key = "\0extra " + movie.Id; // no title holds a NUL
                keyOfId[movie.Id] = key;
                movieOfKey[key] = movie;
                Added++;
            }
            keys.Add(key);
        }
        return keys;
    }
}
