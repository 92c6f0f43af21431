using MovieRecommender.Artifacts.Towers;

namespace MovieRecommender.Artifacts;

/// <summary>
/// A model artifact loaded from its folder, after checking every checksum in its manifest and the shapes of
/// its arrays against its tables. Serving never reads MovieLens files: this is all it needs.
/// </summary>
/// <remarks>
/// Checksums only prove the files are the ones the manifest names, and a manifest can be rewritten; so the content
/// is checked too, whatever the checksums say: the manifest's fields, both tables (columns, unique ids, seen movies
/// in the catalogue), the arrays' headers against the tables and the manifest's dimension and against the files'
/// lengths before anything is allocated, and every value finite. Each fault is one <see cref="ArtifactException"/>
/// naming the file.
/// </remarks>
public sealed record ModelArtifact(
    string Folder,
    ModelManifest Manifest,
    IReadOnlyList<CatalogItem> Items,
    EmbeddingMatrix ItemEmbeddings,
    IReadOnlyList<ArtifactUser> Users,
    EmbeddingMatrix UserEmbeddings,
    FeatureTowers? Towers = null)
{
    public static ModelArtifact Load(string folder)
    {
        if (!Directory.Exists(folder))
            throw new ArtifactException($"{folder}: no such artifact folder. Pass the folder that 'train' printed on its last line.");
        var manifestPath = Path.Combine(folder, ModelManifest.FileName);
        if (!File.Exists(manifestPath))
            throw new ArtifactException($"{manifestPath}: missing; this folder is not a model artifact.");

        try
        {
            var manifest = ModelManifest.Read(manifestPath);

            foreach (var (name, expected) in manifest.Files)
            {
                var path = Path.Combine(folder, name);
                if (!File.Exists(path)) throw new ArtifactException($"{path}: missing (the manifest lists it).");
                var actual = ArtifactWriter.Sha256(path);
                if (!string.Equals(actual, expected, StringComparison.OrdinalIgnoreCase))
                    throw new ArtifactException($"{path}: checksum mismatch (manifest {expected}, file {actual}); the artifact is corrupt, retrain or copy it again.");
            }

            var itemsPath = Path.Combine(folder, ArtifactFiles.Items);
            var usersPath = Path.Combine(folder, ArtifactFiles.Users);
            var itemEmbeddingsPath = Path.Combine(folder, ArtifactFiles.ItemEmbeddings);
            var userEmbeddingsPath = Path.Combine(folder, ArtifactFiles.UserEmbeddings);
            var items = TsvTables.ReadItems(itemsPath);
            var users = TsvTables.ReadUsers(usersPath);
            CheckTables(items, itemsPath, users, usersPath);
            if (manifest.Counts.Items != items.Count)
                throw new ArtifactException($"{manifestPath}: counts.items is {manifest.Counts.Items}, but {ArtifactFiles.Items} describes {items.Count} movies.");
            if (manifest.Counts.Users != users.Count)
                throw new ArtifactException($"{manifestPath}: counts.users is {manifest.Counts.Users}, but {ArtifactFiles.Users} describes {users.Count} users.");

            // The arrays' headers first: their shape must match the tables and the manifest before their data is read.
            CheckShape(NpyFile.ReadHeader(itemEmbeddingsPath), itemEmbeddingsPath, items.Count, "movies", ArtifactFiles.Items, manifest.Dimension);
            CheckShape(NpyFile.ReadHeader(userEmbeddingsPath), userEmbeddingsPath, users.Count, "users", ArtifactFiles.Users, manifest.Dimension);
            var itemEmbeddings = NpyFile.Read(itemEmbeddingsPath);
            CheckFinite(itemEmbeddings, itemEmbeddingsPath);
            var userEmbeddings = NpyFile.Read(userEmbeddingsPath);
            CheckFinite(userEmbeddings, userEmbeddingsPath);
            var towers = FeatureTowersReader.Read(folder, manifest, items.Count);
            return new ModelArtifact(folder, manifest, items, itemEmbeddings, users, userEmbeddings, towers);
        }
        catch (InvalidDataException e)
        {
            throw new ArtifactException(e.Message, e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ArtifactException($"{folder}: cannot read the artifact ({e.Message}).", e);
        }
    }

    private static void CheckTables(List<CatalogItem> items, string itemsPath, List<ArtifactUser> users, string usersPath)
    {
        var itemIds = new HashSet<string>(StringComparer.Ordinal);
        foreach (var item in items)
            if (!itemIds.Add(item.Id)) throw new ArtifactException($"{itemsPath}: movie id '{item.Id}' appears twice.");
        var userIds = new HashSet<string>(StringComparer.Ordinal);
        var seenOnce = new HashSet<string>(StringComparer.Ordinal);
        foreach (var user in users)
        {
            if (!userIds.Add(user.Id)) throw new ArtifactException($"{usersPath}: user id '{user.Id}' appears twice.");
            seenOnce.Clear();
            foreach (var seen in user.Seen)
            {
                if (!itemIds.Contains(seen))
                    throw new ArtifactException($"{usersPath}: user '{user.Id}' has seen movie '{seen}', which {ArtifactFiles.Items} lacks.");
                if (!seenOnce.Add(seen))
                    throw new ArtifactException($"{usersPath}: user '{user.Id}' lists movie '{seen}' twice among the movies seen.");
            }
        }
    }

    private static void CheckShape(NpyFile.Header header, string path, int rows, string what, string table, int dimension)
    {
        if (header.Rows != rows)
            throw new ArtifactException($"{path}: {header.Rows} rows, but {table} describes {rows} {what}.");
        if (header.Columns != dimension)
            throw new ArtifactException($"{path}: {header.Columns} columns, but the manifest says dimension {dimension}.");
    }

    /// <summary>Refuses a matrix holding NaN or infinity, naming the file, row and column.</summary>
    internal static void CheckFinite(EmbeddingMatrix matrix, string path)
    {
        var values = matrix.Values;
        for (var i = 0; i < values.Length; i++)
            if (!float.IsFinite(values[i]))
                throw new ArtifactException(
                    $"{path}: row {i / matrix.Columns}, column {i % matrix.Columns} is {(float.IsNaN(values[i]) ? "NaN" : "infinite")}; the training diverged, retrain (a lower --lr).");
    }
}
