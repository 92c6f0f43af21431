using System.Security.Cryptography;

namespace MovieRecommender.Artifacts;

/// <summary>
/// Writes a model artifact as a new folder <c>OUT/VERSION</c>. Everything is written into a hidden staging
/// folder first and renamed into place at the end, so a failure never leaves a half-written version behind.
/// </summary>
public static class ArtifactWriter
{
    public static string Write(string outputRoot, ArtifactContent content, TimeProvider? clock = null)
    {
        Validate(content);
        Directory.CreateDirectory(outputRoot);
        var now = (clock ?? TimeProvider.System).GetUtcNow();
        var version = NewVersionId(now);
        var staging = Path.Combine(outputRoot, $".staging-{version}");
        var final = Path.Combine(outputRoot, version);
        Directory.CreateDirectory(staging);
        try
        {
            NpyFile.Write(Path.Combine(staging, ArtifactFiles.ItemEmbeddings), content.ItemEmbeddings);
            NpyFile.Write(Path.Combine(staging, ArtifactFiles.UserEmbeddings), content.UserEmbeddings);
            TsvTables.WriteItems(Path.Combine(staging, ArtifactFiles.Items), content.Items);
            TsvTables.WriteUsers(Path.Combine(staging, ArtifactFiles.Users), content.Users);
            content.WriteExtraFiles?.Invoke(staging);

            var manifest = new ModelManifest(
                ModelManifest.CurrentFormatVersion, version, now, content.Dataset, content.ItemEmbeddings.Columns,
                new ArtifactCounts(content.Users.Count, content.Items.Count, content.TrainInteractions, content.TestInteractions),
                content.SplitSeed, content.HyperParameters, content.Evaluation, content.TrainingSeconds,
                HashFiles(staging));
            File.WriteAllText(Path.Combine(staging, ModelManifest.FileName), manifest.ToJson());
            Directory.Move(staging, final);
            return final;
        }
        catch
        {
            try { Directory.Delete(staging, recursive: true); } catch (IOException) { /* best effort: the staging name marks it as garbage */ }
            throw;
        }
    }

    /// <summary>A sortable, unique-enough version id: UTC time to the second plus 4 random hex digits.</summary>
    public static string NewVersionId(DateTimeOffset now) =>
        $"{now.UtcDateTime:yyyyMMdd-HHmmss}-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(2))}";

    /// <summary>SHA-256 (lower-case hex) of every file in the folder except the manifest, keyed by file name.</summary>
    public static SortedDictionary<string, string> HashFiles(string folder)
    {
        var hashes = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var file in Directory.EnumerateFiles(folder))
        {
            var name = Path.GetFileName(file);
            if (name == ModelManifest.FileName) continue;
            hashes[name] = Sha256(file);
        }
        return hashes;
    }

    public static string Sha256(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }

    private static void Validate(ArtifactContent content)
    {
        if (content.ItemEmbeddings.Rows != content.Items.Count)
            throw new ArgumentException($"items.npy would have {content.ItemEmbeddings.Rows} rows but items.tsv {content.Items.Count}.");
        if (content.UserEmbeddings.Rows != content.Users.Count)
            throw new ArgumentException($"users.npy would have {content.UserEmbeddings.Rows} rows but users.tsv {content.Users.Count}.");
        if (content.UserEmbeddings.Columns != content.ItemEmbeddings.Columns)
            throw new ArgumentException($"user embeddings have {content.UserEmbeddings.Columns} columns but item embeddings {content.ItemEmbeddings.Columns}.");
    }
}
