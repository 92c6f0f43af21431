using Microsoft.Extensions.DependencyInjection;
using MovieRecommender.CommandLine;
using MovieRecommender.Grains;
using Orleans.Serialization;

namespace MovieRecommender.Operations.Backup;

/// <summary>
/// Restores a backup (<see cref="ClusterBackup"/>) into a running cluster whose store is empty, through its grains.
/// The backup is checked whole first (<see cref="BackupFolder.Verify"/>), and the cluster found empty (no version, no
/// log entry, no erasure, no live change): otherwise it is refused in one line and nothing changes. Then the publish
/// path: each kept version's towers, movie and user partitions pushed and sealed (indexes built as the version names),
/// the live catalogue's changes recorded with their sequences and applied to each version, the user log appended in
/// its order with its times, the erasures recorded, and last the registry made to hold the backup's say, which tells
/// every silo: nothing serves before everything is in place.
/// </summary>
public sealed class ClusterRestore(IClusterClient grains)
{
    private const int UserLogPage = 4_096;

    private readonly Serializer _serializer = grains.ServiceProvider.GetRequiredService<Serializer>();

    public async Task<BackupManifest> RestoreAsync(string folder, IProgress<string>? progress = null, CancellationToken ct = default)
    {
        progress?.Report("checking the backup");
        var manifest = BackupFolder.Verify(folder);
        var registry = Read<RegistryExport>(folder, BackupFolder.RegistryFile);

        progress?.Report("checking that the cluster is empty");
        if (await WhatTheClusterHoldsAsync() is { } held)
            throw new UserFacingException($"Restore refused, nothing was changed: the cluster already holds {held}; restore only into a cluster whose store is empty.");

        var kept = registry.Kept.ToArray();
        for (var i = 0; i < kept.Length; i++)
        {
            var version = manifest.Kept.Single(k => k.Version == kept[i].Version);
            progress?.Report($"version {version.Version}");
            await PushVersionAsync(folder, manifest, version, kept[i], ct);
        }

        progress?.Report("live catalogue");
        await Task.WhenAll(Enumerable.Range(0, LiveRows.Partitions).Select(p =>
            grains.GetGrain<ILiveCatalogueGrain>(ILiveCatalogueGrain.Key(p)).Restore(Read<LiveCatalogueExport>(folder, BackupFolder.CatalogueFile(p)))));
        // Each kept version takes the changes before it serves, as a publish does; later changes reach it too.
        foreach (var info in kept)
            await Task.WhenAll(ILiveCatalogueGrain.All(grains).Select(p => p.ApplyTo(info)));

        progress?.Report("user log");
        await Task.WhenAll(Enumerable.Range(0, IRatingLogGrain.Partitions).Select(async partition =>
        {
            var log = grains.GetGrain<IRatingLogGrain>(IRatingLogGrain.Key(partition));
            var first = true;
            foreach (var file in manifest.Files.Select(f => f.Path).Where(p => p.StartsWith($"userlog/{partition}-", StringComparison.Ordinal))
                .OrderBy(p => BackupFolder.ShardAndPageOf(p).Page))
            {
                foreach (var page in Read<UserLogEntry[]>(folder, file).Chunk(UserLogPage))
                {
                    ct.ThrowIfCancellationRequested();
                    await log.RestoreEntries(page, first);
                    first = false;
                }
            }
            var erasures = Read<ErasureRecord[]>(folder, BackupFolder.ErasuresFile(partition));
            if (erasures.Length > 0) await log.RestoreErasures(erasures);
        }));

        // A grain activated before the restore (a user asked for while the store was empty) holds what it read then:
        // every idle activation goes, so each reads the restored store when next asked. Kept-alive shards stay.
        progress?.Report("refreshing activations");
        await grains.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.FromMilliseconds(1));

        progress?.Report("registry");
        await grains.GetGrain<IModelRegistryGrain>(IModelRegistryGrain.DefaultKey).Restore(registry);
        return manifest;
    }

    /// <summary>What makes the cluster not empty, in a few words; null when it holds nothing.</summary>
    private async Task<string?> WhatTheClusterHoldsAsync()
    {
        var registry = await grains.GetGrain<IModelRegistryGrain>(IModelRegistryGrain.DefaultKey).Export();
        if (!registry.IsEmpty) return $"{registry.Versions.Length} model versions (active: {registry.Active?.Info.Version ?? "none"})";
        foreach (var log in IRatingLogGrain.All(grains))
        {
            var page = await log.Read(0);
            if (page.Entries.Length > 0 || !page.IsLast) return "entries in its user log";
            if ((await log.Erasures()).Length > 0) return "erasure records";
        }
        foreach (var catalogue in ILiveCatalogueGrain.All(grains))
            if (await catalogue.Export() is { } export && (export.Changes.Length > 0 || export.NextSequence > 0))
                return "live catalogue changes";
        return null;
    }

    /// <summary>One version as the publisher pushes it: towers, movie shards (sealed, indexes built), user shards (sealed).</summary>
    private async Task PushVersionAsync(string folder, BackupManifest manifest, BackupVersion version, ModelVersionInfo info, CancellationToken ct)
    {
        await grains.GetGrain<IModelTowersGrain>(info.Version).Load(Read<ModelTowers>(folder, BackupFolder.TowersFile(version.Folder)));
        var files = manifest.Files.Select(f => f.Path).ToArray();
        await Task.WhenAll(Enumerable.Range(0, info.CandidateShards).Select(async shard =>
        {
            var grain = grains.GetGrain<ICandidateShardGrain>(ICandidateShardGrain.Key(info.Version, shard));
            foreach (var file in FilesOf(files, $"{version.Folder}/candidates/", shard))
            {
                ct.ThrowIfCancellationRequested();
                await grain.Load(Read<CandidateChunk>(folder, file));
            }
            await grain.Seal();
        }));
        await Task.WhenAll(Enumerable.Range(0, info.UserShards).Select(async shard =>
        {
            var grain = grains.GetGrain<IUserShardGrain>(IUserShardGrain.Key(info.Version, shard));
            var users = 0;
            foreach (var file in FilesOf(files, $"{version.Folder}/users/", shard))
            {
                ct.ThrowIfCancellationRequested();
                var chunk = Read<UserChunk>(folder, file);
                users += chunk.UserIds.Length;
                await grain.Load(chunk);
            }
            await grain.Seal(users);
        }));
        // The version serves its index once restored, as after a publish: wait for every shard's.
        await Task.WhenAll(Enumerable.Range(0, info.CandidateShards).Select(async shard =>
        {
            var grain = grains.GetGrain<ICandidateShardGrain>(ICandidateShardGrain.Key(info.Version, shard));
            while ((await grain.WaitForIndex(TimeSpan.FromSeconds(10))).IsBuilding) ct.ThrowIfCancellationRequested();
        }));
    }

    private static IEnumerable<string> FilesOf(string[] files, string prefix, int shard) => files
        .Where(p => p.StartsWith(prefix, StringComparison.Ordinal) && BackupFolder.ShardAndPageOf(p).Shard == shard)
        .OrderBy(p => BackupFolder.ShardAndPageOf(p).Page);

    private T Read<T>(string folder, string path) =>
        _serializer.Deserialize<T>(File.ReadAllBytes(Path.Combine(folder, path.Replace('/', Path.DirectorySeparatorChar))))
        ?? throw new UserFacingException($"Backup refused: {path} in {folder} holds nothing.");
}
