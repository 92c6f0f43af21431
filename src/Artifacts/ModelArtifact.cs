namespace MovieRecommender.Artifacts;

/// <summary>
/// A model artifact loaded from its folder, after checking every checksum in its manifest and the shapes of
/// its arrays against its tables. Serving never reads MovieLens files: this is all it needs.
/// </summary>
public sealed record ModelArtifact(
    string Folder,
    ModelManifest Manifest,
    IReadOnlyList<CatalogItem> Items,
    EmbeddingMatrix ItemEmbeddings,
    IReadOnlyList<ArtifactUser> Users,
    EmbeddingMatrix UserEmbeddings)
{
    public static ModelArtifact Load(string folder)
    {
        if (!Directory.Exists(folder))
            throw new ArtifactException($"{folder}: no such artifact folder. Pass the folder that 'train' printed on its last line.");
        var manifestPath = Path.Combine(folder, ModelManifest.FileName);
        if (!File.Exists(manifestPath))
            throw new ArtifactException($"{manifestPath}: missing; this folder is not a model artifact.");

        ModelManifest manifest;
        try
        {
            manifest = ModelManifest.FromJson(File.ReadAllText(manifestPath), manifestPath);
        }
        catch (System.Text.Json.JsonException e)
        {
            throw new ArtifactException($"{manifestPath}: not a valid manifest ({e.Message}).", e);
        }

        foreach (var required in new[] { ArtifactFiles.ItemEmbeddings, ArtifactFiles.UserEmbeddings, ArtifactFiles.Items, ArtifactFiles.Users })
            if (!manifest.Files.ContainsKey(required))
                throw new ArtifactException($"{manifestPath}: lists no checksum for {required}.");

        foreach (var (name, expected) in manifest.Files)
        {
            var path = Path.Combine(folder, name);
            if (!File.Exists(path)) throw new ArtifactException($"{path}: missing (the manifest lists it).");
            var actual = ArtifactWriter.Sha256(path);
            if (!string.Equals(actual, expected, StringComparison.OrdinalIgnoreCase))
                throw new ArtifactException($"{path}: checksum mismatch (manifest {expected}, file {actual}); the artifact is corrupt, retrain or copy it again.");
        }

        try
        {
            var items = TsvTables.ReadItems(Path.Combine(folder, ArtifactFiles.Items));
            var users = TsvTables.ReadUsers(Path.Combine(folder, ArtifactFiles.Users));
            var itemEmbeddings = NpyFile.Read(Path.Combine(folder, ArtifactFiles.ItemEmbeddings));
            var userEmbeddings = NpyFile.Read(Path.Combine(folder, ArtifactFiles.UserEmbeddings));
            var artifact = new ModelArtifact(folder, manifest, items, itemEmbeddings, users, userEmbeddings);
            artifact.CheckShapes();
            return artifact;
        }
        catch (InvalidDataException e)
        {
            throw new ArtifactException(e.Message, e);
        }
    }

    private void CheckShapes()
    {
        if (ItemEmbeddings.Rows != Items.Count)
            throw new ArtifactException($"{Path.Combine(Folder, ArtifactFiles.ItemEmbeddings)}: {ItemEmbeddings.Rows} rows, but items.tsv describes {Items.Count} movies.");
        if (UserEmbeddings.Rows != Users.Count)
            throw new ArtifactException($"{Path.Combine(Folder, ArtifactFiles.UserEmbeddings)}: {UserEmbeddings.Rows} rows, but users.tsv describes {Users.Count} users.");
        if (ItemEmbeddings.Columns != Manifest.Dimension || UserEmbeddings.Columns != Manifest.Dimension)
            throw new ArtifactException($"{Folder}: embeddings have {ItemEmbeddings.Columns} (items) and {UserEmbeddings.Columns} (users) columns, the manifest says dimension {Manifest.Dimension}.");
        var itemIds = new HashSet<string>(StringComparer.Ordinal);
        foreach (var item in Items)
            if (!itemIds.Add(item.Id)) throw new ArtifactException($"{Path.Combine(Folder, ArtifactFiles.Items)}: movie id '{item.Id}' appears twice.");
        var userIds = new HashSet<string>(StringComparer.Ordinal);
        foreach (var user in Users)
        {
            if (!userIds.Add(user.Id)) throw new ArtifactException($"{Path.Combine(Folder, ArtifactFiles.Users)}: user id '{user.Id}' appears twice.");
            foreach (var seen in user.Seen)
                if (!itemIds.Contains(seen))
                    throw new ArtifactException($"{Path.Combine(Folder, ArtifactFiles.Users)}: user '{user.Id}' has seen movie '{seen}', which items.tsv lacks.");
        }
        foreach (var values in new[] { ItemEmbeddings.Values, UserEmbeddings.Values })
            foreach (var value in values)
                if (!float.IsFinite(value)) throw new ArtifactException($"{Folder}: the embeddings hold NaN or infinity; the training diverged.");
    }
}
