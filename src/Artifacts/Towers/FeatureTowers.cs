using System.Text.Json;
using System.Text.Json.Serialization;

namespace MovieRecommender.Artifacts.Towers;

/// <summary>
/// What serving needs to embed a movie or a user from features alone, without TorchSharp: each tower's feature
/// vocabulary and embedding table, the normalisation, the temperature, and the bias handling. A movie's row is
/// <c>[normalise(Σ feature embeddings), bias]</c>, a user's <c>[normalise(Σ feature embeddings) x scale, 1]</c>:
/// the trainer's towers with the id embedding left out, exported as the trainer exports <c>items.npy</c> and <c>users.npy</c>.
/// A new movie gets <see cref="TowerSettings.ColdMovieBias"/> (it has no learned bias; see the trainer's docs for the value's
/// choice), and a new user's direction is scaled by <see cref="TowerSettings.NewUserScale"/> rather than 1 / temperature
/// (demographics say less than a trained embedding, so popularity, the bias column, weighs more).
/// A known movie whose features change keeps its id embedding: its pre-normalisation norm (<see cref="MovieNorms"/>)
/// recovers it from its exported row, so the artifact carries one float per movie instead of its id table.
/// </summary>
public sealed class FeatureTowers
{
    public const int CurrentFormatVersion = 1;

    public FeatureTowers(TowerSettings settings, EmbeddingMatrix movieFeatures, EmbeddingMatrix? userFeatures, float[] movieNorms)
    {
        Settings = settings;
        if (movieFeatures.Rows != settings.MovieVocabulary.Count || movieFeatures.Columns != settings.Dimension)
            throw new ArgumentException($"The movie feature table is {movieFeatures.Rows} x {movieFeatures.Columns}; the vocabulary has {settings.MovieVocabulary.Count} names of dimension {settings.Dimension}.");
        if (userFeatures is not null && (userFeatures.Rows != settings.UserVocabulary.Count || userFeatures.Columns != settings.Dimension))
            throw new ArgumentException($"The user feature table is {userFeatures.Rows} x {userFeatures.Columns}; the vocabulary has {settings.UserVocabulary.Count} names of dimension {settings.Dimension}.");
        MovieFeatures = movieFeatures;
        UserFeatures = userFeatures;
        MovieNorms = movieNorms;
        _movieIndex = Index(settings.MovieVocabulary);
        _userIndex = Index(settings.UserVocabulary);
        Genres = settings.MovieVocabulary.Select(FeatureNames.GenreOf).OfType<string>().ToArray();
    }

    private readonly Dictionary<string, int> _movieIndex;
    private readonly Dictionary<string, int> _userIndex;

    public TowerSettings Settings { get; }

    /// <summary>[movie vocabulary, dimension]; row 0 is the padding entry, all zeros.</summary>
    public EmbeddingMatrix MovieFeatures { get; }

    /// <summary>[user vocabulary, dimension], or null when the query tower has no demographic features.</summary>
    public EmbeddingMatrix? UserFeatures { get; }

    /// <summary>Per catalogue movie (row of <c>items.npy</c>): the norm of id + feature embeddings before normalisation (1 without it).</summary>
    public float[] MovieNorms { get; }

    /// <summary>The genres the candidate tower knows, as the catalogue writes them.</summary>
    public IReadOnlyList<string> Genres { get; }

    /// <summary>The width of a served row: the tower's dimension, plus the bias column if any.</summary>
    public int RowWidth => Settings.Dimension + (Settings.BiasColumn ? 1 : 0);

    public bool KnowsGenre(string genre) => _movieIndex.ContainsKey(FeatureNames.Genre(genre));

    /// <summary>A movie the model never saw: its features' embeddings summed, normalised, with <see cref="TowerSettings.ColdMovieBias"/>.</summary>
    public float[] EmbedNewMovie(string title, IEnumerable<string> genres, int? year)
    {
        var row = new float[RowWidth];
        var direction = row.AsSpan(0, Settings.Dimension);
        AddFeatures(direction, FeatureNames.Movie(title, genres, year), _movieIndex, MovieFeatures, 1);
        if (Settings.Normalize) Normalise(direction);
        if (Settings.BiasColumn) row[^1] = Settings.ColdMovieBias;
        return row;
    }

    /// <summary>
    /// A known movie (row <paramref name="row"/> of the artifact, served as <paramref name="current"/> with features
    /// <paramref name="before"/>) given new features: its id embedding kept, its feature sum replaced, its bias kept.
    /// </summary>
    public float[] ReembedMovie(int row, ReadOnlySpan<float> current, (string Title, IEnumerable<string> Genres, int? Year) before,
        (string Title, IEnumerable<string> Genres, int? Year) after)
    {
        if ((uint)row >= (uint)MovieNorms.Length) throw new ArgumentOutOfRangeException(nameof(row), row, $"The artifact has {MovieNorms.Length} movies.");
        var result = current.ToArray();
        var direction = result.AsSpan(0, Settings.Dimension);
        // normalise(id + f_old) x norm = id + f_old; less f_old, plus f_new.
        var norm = Settings.Normalize ? MovieNorms[row] : 1;
        for (var d = 0; d < direction.Length; d++) direction[d] *= norm;
        AddFeatures(direction, FeatureNames.Movie(before.Title, before.Genres, before.Year), _movieIndex, MovieFeatures, -1);
        AddFeatures(direction, FeatureNames.Movie(after.Title, after.Genres, after.Year), _movieIndex, MovieFeatures, 1);
        if (Settings.Normalize) Normalise(direction);
        return result;
    }

    /// <summary>A user the model never saw, from demographics; null when the tower knows none of them (serve the popular list).</summary>
    public float[]? EmbedNewUser(int? age, string? gender, string? occupation, string? zip)
    {
        if (UserFeatures is null) return null;
        var row = new float[RowWidth];
        var direction = row.AsSpan(0, Settings.Dimension);
        if (AddFeatures(direction, FeatureNames.User(age, gender, occupation, zip), _userIndex, UserFeatures, 1) == 0) return null;
        if (Settings.Normalize) Normalise(direction);
        var scale = (float)Settings.NewUserScale;
        for (var d = 0; d < direction.Length; d++) direction[d] *= scale;
        if (Settings.BiasColumn) row[^1] = 1;
        return row;
    }

    /// <summary>Adds sign x the embedding of each named feature the vocabulary has; returns how many it had.</summary>
    private static int AddFeatures(Span<float> target, IEnumerable<string> names, Dictionary<string, int> index, EmbeddingMatrix table, float sign)
    {
        var found = 0;
        foreach (var name in names)
        {
            if (!index.TryGetValue(name, out var k) || k == 0) continue;
            var embedding = table.Row(k);
            for (var d = 0; d < target.Length; d++) target[d] += sign * embedding[d];
            found++;
        }
        return found;
    }

    /// <summary>Scales to unit length (left as it is when zero), as torch's normalize with its epsilon of 1e-12.</summary>
    private static void Normalise(Span<float> v)
    {
        double sum = 0;
        foreach (var x in v) sum += (double)x * x;
        var factor = (float)(1 / Math.Max(Math.Sqrt(sum), 1e-12));
        for (var d = 0; d < v.Length; d++) v[d] *= factor;
    }

    private static Dictionary<string, int> Index(IReadOnlyList<string> vocabulary)
    {
        var index = new Dictionary<string, int>(vocabulary.Count, StringComparer.Ordinal);
        for (var k = 0; k < vocabulary.Count; k++) index.TryAdd(vocabulary[k], k);
        return index;
    }

    /// <summary>Writes <c>towers.json</c>, the feature tables and the movie norms into an artifact's (staging) folder.</summary>
    public void Write(string folder)
    {
        File.WriteAllText(Path.Combine(folder, TowerFiles.Settings), JsonSerializer.Serialize(Settings, TowerSettings.JsonOptions));
        NpyFile.Write(Path.Combine(folder, TowerFiles.MovieFeatures), MovieFeatures);
        if (UserFeatures is not null) NpyFile.Write(Path.Combine(folder, TowerFiles.UserFeatures), UserFeatures);
        NpyFile.Write(Path.Combine(folder, TowerFiles.MovieNorms), new EmbeddingMatrix(MovieNorms.Length, 1, MovieNorms));
    }
}

/// <summary>The file names of an artifact's feature towers (absent from artifacts trained before them, or without movie features).</summary>
public static class TowerFiles
{
    public const string Settings = "towers.json";
    public const string MovieFeatures = "movie-features.npy";
    public const string UserFeatures = "user-features.npy";
    public const string MovieNorms = "movie-norms.npy";
}

/// <summary><c>towers.json</c>: how the feature tables turn into served rows.</summary>
public sealed record TowerSettings(
    [property: JsonPropertyName("formatVersion")] int FormatVersion,
    [property: JsonPropertyName("dimension")] int Dimension,
    [property: JsonPropertyName("normalize")] bool Normalize,
    [property: JsonPropertyName("temperature")] double Temperature,
    [property: JsonPropertyName("biasColumn")] bool BiasColumn,
    [property: JsonPropertyName("coldMovieBias")] float ColdMovieBias,
    // What a new user's normalised demographic direction is multiplied by (a trained user's is 1 / temperature).
    [property: JsonPropertyName("newUserScale")] double NewUserScale,
    [property: JsonPropertyName("movieVocabulary")] IReadOnlyList<string> MovieVocabulary,
    [property: JsonPropertyName("userVocabulary")] IReadOnlyList<string> UserVocabulary)
{
    public static readonly JsonSerializerOptions JsonOptions = new() { WriteIndented = true };
}
