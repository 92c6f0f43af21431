using System.CommandLine;
using MovieRecommender.Cluster;
using MovieRecommender.CommandLine;
using MovieRecommender.Operations.Backup;
using Spectre.Console;

namespace MovieRecommender.Client.Commands;

/// <summary>
/// <c>backup --out DIR</c> writes everything the cluster keeps into a new folder, checksummed, while it serves;
/// <c>restore DIR</c> puts a backup back into a running cluster whose store is empty, and refuses a damaged backup or a
/// non-empty cluster in one line, changing nothing.
/// </summary>
public static class BackupCommand
{
    public static IEnumerable<Command> Create()
    {
        var output = new Option<string>("--out") { Description = "The folder to write the backup into (new, or empty).", Required = true };
        var backup = new Command("backup", "Back up everything the cluster keeps (versions, live catalogue, user log, erasures) into a folder.") { output };
        backup.SetAction(async (parsed, ct) =>
        {
            await using var cluster = await ClusterConnection.ConnectAsync(ct);
            BackupManifest manifest = null!;
            await AnsiConsole.Status().StartAsync("backing up", async status =>
                manifest = await new ClusterBackup(cluster.Client).TakeAsync(parsed.GetValue(output)!,
                    new Progress<string>(stage => status.Status($"backing up: {Markup.Escape(stage)}")), ct));
            AnsiConsole.MarkupLineInterpolated($"Backed up to {Path.GetFullPath(parsed.GetValue(output)!)}: {Describe(manifest)}; {manifest.Files.Count} files, checksummed.");
            return 0;
        });

        var folder = new Argument<string>("dir") { Description = "The backup folder ('backup --out' wrote it)." };
        var restore = new Command("restore", "Restore a backup into a running cluster whose store is empty.") { folder };
        restore.SetAction(async (parsed, ct) =>
        {
            var path = parsed.GetValue(folder)!;
            // Checked whole before the cluster is asked anything: a damaged backup changes nothing.
            BackupFolder.Verify(path);
            await using var cluster = await ClusterConnection.ConnectAsync(ct);
            BackupManifest manifest = null!;
            await AnsiConsole.Status().StartAsync("restoring", async status =>
                manifest = await new ClusterRestore(cluster.Client).RestoreAsync(path,
                    new Progress<string>(stage => status.Status($"restoring: {Markup.Escape(stage)}")), ct));
            AnsiConsole.MarkupLineInterpolated($"Restored {path} (taken {manifest.CreatedAt:u}): {Describe(manifest)}.");
            return 0;
        });
        return [backup, restore];
    }

    private static string Describe(BackupManifest manifest) =>
        $"{(manifest.Active is null ? "no version" : $"version {manifest.Active} active")}{(manifest.Previous is null ? "" : $", {manifest.Previous} previous")}, " +
        $"{manifest.Counts.Ratings} ratings, {manifest.Counts.Profiles} profiles, {manifest.Counts.LiveChanges} live catalogue changes, {manifest.Counts.Erasures} erasures";
}
