using System.Text.Json;

namespace MovieRecommender.Artifacts.Towers;

/// <summary>
/// Reads an artifact's feature towers and checks them like every other artifact file: the settings against the
/// manifest, each table's shape against its vocabulary, every value finite. Each fault is one
/// <see cref="ArtifactException"/> naming the file. An artifact without <c>towers.json</c> has no towers (null).
/// </summary>
public static class FeatureTowersReader
{
    public const string Padding = "<none>";

    public static FeatureTowers? Read(string folder, ModelManifest manifest, int movies)
    {
        var settingsPath = Path.Combine(folder, TowerFiles.Settings);
        if (!File.Exists(settingsPath)) return null;
        TowerSettings settings;
        try
        {
            settings = JsonSerializer.Deserialize<TowerSettings>(File.ReadAllText(settingsPath), TowerSettings.JsonOptions)
                ?? throw new ArtifactException($"{settingsPath}: empty.");
        }
        catch (JsonException e)
        {
            throw new ArtifactException($"{settingsPath}: not valid JSON ({e.Message}).", e);
        }
        if (settings.FormatVersion != FeatureTowers.CurrentFormatVersion)
            throw new ArtifactException($"{settingsPath}: formatVersion {settings.FormatVersion} is not {FeatureTowers.CurrentFormatVersion}; this build reads only that.");
        var width = settings.Dimension + (settings.BiasColumn ? 1 : 0);
        if (settings.Dimension < 1 || width != manifest.Dimension)
            throw new ArtifactException($"{settingsPath}: dimension {settings.Dimension}{(settings.BiasColumn ? " plus the bias column" : "")} does not make the manifest's {manifest.Dimension} columns.");
        if (!(settings.Temperature > 0) || !double.IsFinite(settings.Temperature))
            throw new ArtifactException($"{settingsPath}: temperature {settings.Temperature} is not a positive number.");
        if (!(settings.NewUserScale > 0) || !double.IsFinite(settings.NewUserScale))
            throw new ArtifactException($"{settingsPath}: newUserScale {settings.NewUserScale} is not a positive number.");
        if (!float.IsFinite(settings.ColdMovieBias))
            throw new ArtifactException($"{settingsPath}: coldMovieBias is not finite.");
        CheckVocabulary(settings.MovieVocabulary, settingsPath, "movieVocabulary");
        if (settings.UserVocabulary.Count > 0) CheckVocabulary(settings.UserVocabulary, settingsPath, "userVocabulary");

        var movieFeatures = ReadTable(folder, TowerFiles.MovieFeatures, settings.MovieVocabulary.Count, settings.Dimension, "movieVocabulary");
        var userFeatures = settings.UserVocabulary.Count > 0
            ? ReadTable(folder, TowerFiles.UserFeatures, settings.UserVocabulary.Count, settings.Dimension, "userVocabulary")
            : null;
        var norms = ReadTable(folder, TowerFiles.MovieNorms, movies, 1, "the catalogue (items.tsv)");
        var normsPath = Path.Combine(folder, TowerFiles.MovieNorms);
        for (var i = 0; i < norms.Values.Length; i++)
            if (!(norms.Values[i] > 0))
                throw new ArtifactException($"{normsPath}: row {i} is {norms.Values[i]}; a norm must be positive.");
        return new FeatureTowers(settings, movieFeatures, userFeatures, norms.Values);
    }

    private static void CheckVocabulary(IReadOnlyList<string> vocabulary, string path, string name)
    {
        if (vocabulary.Count == 0 || vocabulary[0] != Padding)
            throw new ArtifactException($"{path}: {name} must start with the padding entry \"{Padding}\".");
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var entry in vocabulary)
            if (!seen.Add(entry)) throw new ArtifactException($"{path}: {name} lists \"{entry}\" twice.");
    }

    private static EmbeddingMatrix ReadTable(string folder, string file, int rows, int columns, string describedBy)
    {
        var path = Path.Combine(folder, file);
        if (!File.Exists(path)) throw new ArtifactException($"{path}: missing ({TowerFiles.Settings} needs it).");
        try
        {
            var header = NpyFile.ReadHeader(path);
            if (header.Rows != rows || header.Columns != columns)
                throw new ArtifactException($"{path}: {header.Rows} x {header.Columns}, but {describedBy} needs {rows} x {columns}.");
            var table = NpyFile.Read(path);
            ModelArtifact.CheckFinite(table, path);
            return table;
        }
        catch (InvalidDataException e)
        {
            throw new ArtifactException(e.Message, e);
        }
    }
}
