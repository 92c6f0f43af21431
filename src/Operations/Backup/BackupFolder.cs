using System.Security.Cryptography;
using MovieRecommender.CommandLine;

namespace MovieRecommender.Operations.Backup;

/// <summary>
/// The layout of a backup folder, and its check: every file the manifest lists is there with its SHA-256, no other file
/// is, and the manifest is the one its checksum file names. A damaged backup is refused in one line naming the file.
/// </summary>
public static class BackupFolder
{
    public const string ManifestFile = "manifest.json";
    public const string ManifestChecksumFile = "manifest.sha256";
    public const string RegistryFile = "registry.bin";

    public static string VersionFolder(int kept) => $"versions/{kept}";
    public static string TowersFile(string versionFolder) => $"{versionFolder}/towers.bin";
    public static string CandidatesFile(string versionFolder, int shard, int page) => $"{versionFolder}/candidates/{shard}-{page}.bin";
    public static string UsersFile(string versionFolder, int shard, int page) => $"{versionFolder}/users/{shard}-{page}.bin";
    public static string CatalogueFile(int partition) => $"catalogue/{partition}.bin";
    public static string UserLogFile(int partition, int page) => $"userlog/{partition}-{page}.bin";
    public static string ErasuresFile(int partition) => $"erasures/{partition}.bin";

    /// <summary>The shard of a candidates or users file name (<c>{shard}-{page}.bin</c>).</summary>
    public static (int Shard, int Page) ShardAndPageOf(string path)
    {
        var name = Path.GetFileNameWithoutExtension(path).Split('-');
        return (int.Parse(name[0], System.Globalization.CultureInfo.InvariantCulture), int.Parse(name[1], System.Globalization.CultureInfo.InvariantCulture));
    }

    public static string Sha256Of(ReadOnlySpan<byte> bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    /// <summary>
    /// The manifest of an intact backup; else <see cref="UserFacingException"/> in one line naming what is wrong. Reads
    /// every file once; changes nothing.
    /// </summary>
    public static BackupManifest Verify(string folder)
    {
        if (!Directory.Exists(folder)) throw new UserFacingException($"Backup refused: folder {folder} does not exist.");
        var manifestPath = Path.Combine(folder, ManifestFile);
        var checksumPath = Path.Combine(folder, ManifestChecksumFile);
        if (!File.Exists(manifestPath)) throw Damaged(folder, ManifestFile, "is missing");
        if (!File.Exists(checksumPath)) throw Damaged(folder, ManifestChecksumFile, "is missing");
        var manifestBytes = File.ReadAllBytes(manifestPath);
        if (File.ReadAllText(checksumPath).Trim() != Sha256Of(manifestBytes)) throw Damaged(folder, ManifestFile, "does not match its checksum");
        BackupManifest manifest;
        try
        {
            manifest = BackupManifest.FromJson(manifestBytes) ?? throw Damaged(folder, ManifestFile, "is empty");
        }
        catch (System.Text.Json.JsonException e)
        {
            throw Damaged(folder, ManifestFile, $"is not a backup manifest ({e.Message})");
        }
        if (manifest.Format != BackupManifest.CurrentFormat)
            throw new UserFacingException($"Backup refused: {folder} is of format {manifest.Format}; this build reads format {BackupManifest.CurrentFormat}.");

        var listed = manifest.Files.ToDictionary(f => f.Path, StringComparer.Ordinal);
        var present = Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories)
            .Select(p => Path.GetRelativePath(folder, p).Replace(Path.DirectorySeparatorChar, '/'))
            .Where(p => p is not ManifestFile and not ManifestChecksumFile)
            .ToHashSet(StringComparer.Ordinal);
        if (present.FirstOrDefault(p => !listed.ContainsKey(p)) is { } extra) throw Damaged(folder, extra, "is not in the manifest");
        foreach (var file in manifest.Files)
        {
            if (!present.Contains(file.Path)) throw Damaged(folder, file.Path, "is missing");
            var bytes = File.ReadAllBytes(Path.Combine(folder, file.Path));
            if (bytes.LongLength != file.Bytes || Sha256Of(bytes) != file.Sha256) throw Damaged(folder, file.Path, "does not match its checksum");
        }
        return manifest;
    }

    private static UserFacingException Damaged(string folder, string file, string what) =>
        new($"Backup refused, nothing was changed: {file} in {folder} {what}.");
}
