using Microsoft.Extensions.DependencyInjection;
using MovieRecommender.CommandLine;
using MovieRecommender.Grains;
using Orleans.Serialization;

namespace MovieRecommender.Operations.Backup;

/// <summary>
/// Takes a backup of everything the cluster keeps, through its grains (so the same on the file store and on Redis,
/// while it serves): the registry, each kept version's towers, movie and user partitions, the live catalogue, the
/// user log and its erasures. A consistent cut: versions change only by publish, activation or rollback, so the
/// registry's generation is read at the start and at the end and the backup is taken again when it moved; the logs
/// are read after the start, so every entry acknowledged before the backup began is in it. Written into a folder
/// beside the target and renamed at the end: a failed backup leaves nothing under the target's name.
/// </summary>
public sealed class ClusterBackup(IClusterClient grains)
{
    private const int Attempts = 3;
    private const int PageBytes = 4 << 20;
    private const int UserLogPage = 16_384;

    private readonly Serializer _serializer = grains.ServiceProvider.GetRequiredService<Serializer>();

    public async Task<BackupManifest> TakeAsync(string target, IProgress<string>? progress = null, CancellationToken ct = default)
    {
        target = Path.GetFullPath(target);
        if (Directory.Exists(target) && Directory.EnumerateFileSystemEntries(target).Any())
            throw new UserFacingException($"Backup refused: {target} exists and is not empty; name a new folder.");
        if (File.Exists(target)) throw new UserFacingException($"Backup refused: {target} is a file; name a new folder.");
        var parent = Path.GetDirectoryName(target)!;
        Directory.CreateDirectory(parent);

        for (var attempt = 1; attempt <= Attempts; attempt++)
        {
            var temporary = Path.Combine(parent, $".{Path.GetFileName(target)}.partial-{Guid.NewGuid():N}");
            try
            {
                var manifest = await TryTakeAsync(temporary, progress, ct);
                if (manifest is not null)
                {
                    if (Directory.Exists(target)) Directory.Delete(target);
                    Directory.Move(temporary, target);
                    return manifest;
                }
                progress?.Report("the registry changed during the backup (publish, activation or rollback): taking it again");
            }
            finally
            {
                if (Directory.Exists(temporary)) Directory.Delete(temporary, recursive: true);
            }
        }
        throw new UserFacingException($"Backup not taken: the cluster's versions changed during each of {Attempts} attempts (publish, activation or rollback); take it once they settle.");
    }

    /// <summary>The backup into <paramref name="folder"/>, or null when a version changed meanwhile.</summary>
    private async Task<BackupManifest?> TryTakeAsync(string folder, IProgress<string>? progress, CancellationToken ct)
    {
        var files = new List<BackupFile>();
        var registryGrain = grains.GetGrain<IModelRegistryGrain>(IModelRegistryGrain.DefaultKey);
        var registry = await registryGrain.Export();
        Write(folder, BackupFolder.RegistryFile, registry, files);

        var kept = new List<BackupVersion>();
        try
        {
            foreach (var (info, index) in registry.Kept.Select((v, i) => (v, i)))
            {
                progress?.Report($"version {info.Version}");
                kept.Add(await VersionAsync(folder, BackupFolder.VersionFolder(index), info, files, ct));
            }
        }
        catch (VersionNotLoadedException)
        {
            // Retired while it was read: a version changed; the generation says so below.
            if ((await registryGrain.Export()).Generation != registry.Generation) return null;
            throw;
        }

        progress?.Report("live catalogue");
        long liveChanges = 0;
        for (var partition = 0; partition < LiveRows.Partitions; partition++)
        {
            var export = await grains.GetGrain<ILiveCatalogueGrain>(ILiveCatalogueGrain.Key(partition)).Export();
            liveChanges += export.Changes.Length;
            Write(folder, BackupFolder.CatalogueFile(partition), export, files);
        }

        progress?.Report("user log");
        long ratings = 0, profiles = 0, erasures = 0;
        for (var partition = 0; partition < IRatingLogGrain.Partitions; partition++)
        {
            var log = grains.GetGrain<IRatingLogGrain>(IRatingLogGrain.Key(partition));
            // Segment by segment, the open one last: a prefix of the partition's log that holds every entry acknowledged before.
            var page = new List<UserLogEntry>();
            var pages = 0;
            for (var segment = 0; ; segment++)
            {
                ct.ThrowIfCancellationRequested();
                var read = await log.Read(segment);
                page.AddRange(read.Entries);
                ratings += read.Entries.Count(e => e.IsRating);
                profiles += read.Entries.Count(e => !e.IsRating);
                if (page.Count >= UserLogPage || read.IsLast)
                {
                    Write(folder, BackupFolder.UserLogFile(partition, pages++), page.ToArray(), files);
                    page.Clear();
                }
                if (read.IsLast) break;
            }
            var erased = await log.Erasures();
            erasures += erased.Length;
            Write(folder, BackupFolder.ErasuresFile(partition), erased, files);
        }

        if ((await registryGrain.Export()).Generation != registry.Generation) return null;
        var manifest = new BackupManifest(BackupManifest.CurrentFormat, DateTimeOffset.UtcNow, registry.Generation,
            registry.Active?.Info.Version, registry.Previous?.Info.Version, kept, new BackupCounts(ratings, profiles, liveChanges, erasures), files);
        var manifestBytes = manifest.ToJsonBytes();
        await File.WriteAllBytesAsync(Path.Combine(folder, BackupFolder.ManifestFile), manifestBytes, ct);
        await File.WriteAllTextAsync(Path.Combine(folder, BackupFolder.ManifestChecksumFile), BackupFolder.Sha256Of(manifestBytes) + "\n", ct);
        return manifest;
    }

    /// <summary>One kept version: towers, then each candidate shard's rows and each user shard's users, in pages under a message's size limit.</summary>
    private async Task<BackupVersion> VersionAsync(string folder, string versionFolder, ModelVersionInfo info, List<BackupFile> files, CancellationToken ct)
    {
        Write(folder, BackupFolder.TowersFile(versionFolder), await grains.GetGrain<IModelTowersGrain>(info.Version).Export(), files);
        long rows = 0, users = 0;
        var rowsPerPage = Math.Max(1, PageBytes / (info.Dimension * sizeof(float) + 128));
        for (var shard = 0; shard < info.CandidateShards; shard++)
        {
            var grain = grains.GetGrain<ICandidateShardGrain>(ICandidateShardGrain.Key(info.Version, shard));
            var s = shard;
            rows += await ExportPagesAsync(folder, rowsPerPage, grain.ExportRows, chunk => chunk.Ids.Length,
                page => BackupFolder.CandidatesFile(versionFolder, s, page), files, ct);
        }
        var usersPerPage = Math.Max(1, PageBytes / (info.Dimension * sizeof(float) + 1024));
        for (var shard = 0; shard < info.UserShards; shard++)
        {
            var grain = grains.GetGrain<IUserShardGrain>(IUserShardGrain.Key(info.Version, shard));
            var s = shard;
            users += await ExportPagesAsync(folder, usersPerPage, grain.ExportUsers, chunk => chunk.UserIds.Length,
                page => BackupFolder.UsersFile(versionFolder, s, page), files, ct);
        }
        return new BackupVersion(info.Version, versionFolder, info.CandidateShards, info.UserShards, rows, users);
    }

    /// <summary>Reads a shard's export page by page (<paramref name="perPage"/> at a time) into one file each; returns the entries written.
    /// The first page is written even when empty, so every shard has at least one file.</summary>
    private async Task<long> ExportPagesAsync<T>(string folder, int perPage, Func<int, int, Task<T>> read, Func<T, int> count,
        Func<int, string> path, List<BackupFile> files, CancellationToken ct)
    {
        long total = 0;
        for (var page = 0; ; page++)
        {
            ct.ThrowIfCancellationRequested();
            var chunk = await read(page * perPage, perPage);
            var entries = count(chunk);
            if (entries == 0 && page > 0) break;
            Write(folder, path(page), chunk, files);
            total += entries;
            if (entries < perPage) break;
        }
        return total;
    }

    private void Write<T>(string folder, string path, T value, List<BackupFile> files)
    {
        var bytes = _serializer.SerializeToArray(value);
        var full = Path.Combine(folder, path.Replace('/', Path.DirectorySeparatorChar));
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        File.WriteAllBytes(full, bytes);
        files.Add(new BackupFile(path, bytes.LongLength, BackupFolder.Sha256Of(bytes)));
    }
}
