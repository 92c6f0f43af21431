using System.CommandLine;
using System.Globalization;
using MovieRecommender.Artifacts;
using MovieRecommender.Cluster;
using MovieRecommender.CommandLine;
using MovieRecommender.Grains;
using Spectre.Console;

namespace MovieRecommender.Client.Commands;

/// <summary>
/// <c>versions</c> lists every version the cluster knows (status, size, headline figures); <c>active</c> shows the
/// serving version with its whole evaluation table; <c>rollback</c> makes the previous version active again.
/// </summary>
public static class VersionsCommand
{
    public static IEnumerable<Command> Create()
    {
        var versions = new Command("versions", "List the model versions the cluster knows, newest first, with sizes and figures.");
        versions.SetAction(async (_, ct) =>
        {
            await using var cluster = await ClusterConnection.ConnectAsync(ct);
            var records = await Registry(cluster).ListVersions();
            if (records.Length == 0)
            {
                AnsiConsole.MarkupLine("No version has been published yet.");
                return 0;
            }
            var table = new Table().Title("model versions")
                .AddColumn("version").AddColumn("status").AddColumn("published (UTC)")
                .AddColumn(new TableColumn("movies").RightAligned()).AddColumn(new TableColumn("users").RightAligned())
                .AddColumn(new TableColumn("dim").RightAligned()).AddColumn(new TableColumn("shards").RightAligned()).AddColumn("index")
                .AddColumn(new TableColumn("MB").RightAligned())
                .AddColumn(new TableColumn("top-10 seen excl.").RightAligned()).AddColumn(new TableColumn("top-100 seen excl.").RightAligned());
            foreach (var record in records)
            {
                var info = record.Info;
                var evaluation = Manifest(record)?.Evaluation.Model.SeenExcluded;
                table.AddRow(Markup.Escape(info.Version), StatusMarkup(record.Status), info.PublishedAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture),
                    N(info.ItemCount), N(info.UserCount), N(info.Dimension), $"{info.CandidateShards} + {info.UserShards}", Markup.Escape(info.Index),
                    (record.EmbeddingBytes / 1e6).ToString("F1", CultureInfo.InvariantCulture),
                    evaluation?["10"].ToString("F4", CultureInfo.InvariantCulture) ?? "-", evaluation?["100"].ToString("F4", CultureInfo.InvariantCulture) ?? "-");
            }
            // Ids and numbers are never broken over lines, whatever the width.
            foreach (var column in table.Columns) column.NoWrap = true;
            AnsiConsole.Write(table);
            return 0;
        });

        var active = new Command("active", "Show the serving version and its evaluation table.");
        active.SetAction(async (_, ct) =>
        {
            await using var cluster = await ClusterConnection.ConnectAsync(ct);
            var record = (await Registry(cluster).ListVersions()).FirstOrDefault(v => v.Status == VersionStatus.Active);
            if (record is null)
            {
                AnsiConsole.MarkupLine("No version has been published yet.");
                return 1;
            }
            var info = record.Info;
            AnsiConsole.MarkupLineInterpolated($"Active version [bold]{info.Version}[/], published {info.PublishedAt:u}: {info.ItemCount} movies in {info.CandidateShards} shards, {info.UserCount} users in {info.UserShards} user shards, dimension {info.Dimension}, {record.EmbeddingBytes / 1e6:F1} MB of embeddings.");
            AnsiConsole.MarkupLineInterpolated($"Index [bold]{info.Index}[/]: {await ShardIndexesAsync(cluster, info)}.");
            if (Manifest(record) is { } manifest)
                AnsiConsole.Write(EvaluationTableView.Render(manifest.Evaluation, manifest.TrainingSeconds)
                    .Title($"top-K accuracy on the test split ({Markup.Escape(manifest.Dataset)}, split seed {manifest.SplitSeed})"));
            return 0;
        });

        var rollback = new Command("rollback", "Make the previous version active again, in one step.");
        rollback.SetAction(async (_, ct) =>
        {
            await using var cluster = await ClusterConnection.ConnectAsync(ct);
            var now = await Registry(cluster).Rollback();
            AnsiConsole.MarkupLineInterpolated($"Version [bold]{now.Info.Version}[/] is active again.");
            return 0;
        });
        return [versions, active, rollback];
    }

    /// <summary>What the shards built, grouped: "ivf-int8:lists=250,probe=10 on 4 shards".</summary>
    private static async Task<string> ShardIndexesAsync(ClusterConnection cluster, ModelVersionInfo info)
    {
        var statuses = await Task.WhenAll(Enumerable.Range(0, info.CandidateShards)
            .Select(s => cluster.Client.GetGrain<ICandidateShardGrain>(ICandidateShardGrain.Key(info.Version, s)).IndexStatus()));
        return string.Join("; ", statuses
            .GroupBy(s => s.Built ?? (s.Error is { } error ? $"build failed ({error}), exact scan" : "building, exact scan meanwhile"))
            .Select(g => $"{g.Key} on {g.Count()} shard{(g.Count() == 1 ? "" : "s")}"));
    }

    private static IModelRegistryGrain Registry(ClusterConnection cluster) =>
        cluster.Client.GetGrain<IModelRegistryGrain>(IModelRegistryGrain.DefaultKey);

    private static ModelManifest? Manifest(VersionRecord record)
    {
        try { return ModelManifest.FromJson(record.ManifestJson, record.Info.Version); }
        catch (Exception e) when (e is System.Text.Json.JsonException or InvalidDataException) { return null; }
    }

    private static string StatusMarkup(VersionStatus status) => status switch
    {
        VersionStatus.Active => "[green]active[/]",
        VersionStatus.Previous => "[yellow]previous[/]",
        _ => "[grey]retired[/]",
    };

    private static string N(int value) => value.ToString("N0", CultureInfo.InvariantCulture);
}
