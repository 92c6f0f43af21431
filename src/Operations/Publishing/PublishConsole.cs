using System.CommandLine;
using System.Diagnostics;
using MovieRecommender.Artifacts;
using MovieRecommender.Cluster;
using MovieRecommender.CommandLine;
using MovieRecommender.Index;
using MovieRecommender.Operations.Publishing;
using Spectre.Console;

namespace MovieRecommender.Operations.Publishing;

/// <summary>
/// Publishing from a console, with its options and a progress display: the console's <c>publish</c> and the
/// trainer's <c>train --publish</c> both go through here.
/// </summary>
public static class PublishConsole
{
    private static readonly Option<int?> ShardsOption = new Option<int?>("--shards")
    {
        Description = "Candidate shards to split the movies over; every recommendation fans out to all of them " +
            $"(default: one per active silo, more past {ShardLayout.MoviesPerShard:N0} movies a shard).",
    }.Integer(min: 1, max: PublishOptions.MaxShards);

    private static readonly Option<int?> UserShardsOption = new Option<int?>("--user-shards")
    {
        Description = $"User shards to split the users' query embeddings over (default: one per active silo, more past {ShardLayout.UsersPerShard:N0} users a shard).",
    }.Integer(min: 1, max: PublishOptions.MaxShards);

    private static readonly Option<IndexSpec> IndexOption = new Option<IndexSpec>("--index")
    {
        Description = "The index every candidate shard builds, recorded with the version: auto (by shard size), exact, int8, pq4, " +
            "ivf-int8 or ivf-pq4, with parameters, e.g. ivf-int8:lists=1000,probe=20 or int8:rerank=100.",
        DefaultValueFactory = _ => IndexSpec.Auto,
    }.Parsed("an index KIND[:key=value,...], e.g. ivf-int8:lists=1000,probe=20",
        text => IndexSpec.TryParse(text, out var spec, out var error) ? (spec, null) : (null, error));

    /// <summary>The layout options, shared with <c>train --publish</c>.</summary>
    public static IEnumerable<Option> LayoutOptions => [ShardsOption, UserShardsOption, IndexOption];

    public static PublishOptions ReadLayout(ParseResult parsed) => new()
    {
        CandidateShards = parsed.GetValue(ShardsOption),
        UserShards = parsed.GetValue(UserShardsOption),
        Index = parsed.GetValue(IndexOption) ?? IndexSpec.Auto,
    };

    public static Task PublishAsync(string artifactDir, IAnsiConsole console, CancellationToken ct) =>
        PublishAsync(artifactDir, console, new PublishOptions(), ct);

    public static async Task PublishAsync(string artifactDir, IAnsiConsole console, PublishOptions options, CancellationToken ct)
    {
        var started = Stopwatch.GetTimestamp();
        // One trace per publish: verify, push (per shard, with the seals and their index builds), activate.
        using var activity = PublishTelemetry.ActivitySource.StartActivity("publish", ActivityKind.Client);
        activity?.SetTag("recommender.artifact", Path.GetFullPath(artifactDir));
        ModelArtifact artifact;
        using (PublishTelemetry.ActivitySource.StartActivity("publish.verify"))
            artifact = ModelArtifact.Load(artifactDir);
        try
        {
            options.Validate(artifact.Items.Count);
        }
        catch (ArgumentOutOfRangeException e)
        {
            throw new UserFacingException(e.Message.Split(Environment.NewLine)[0], e);
        }
        await using var cluster = await ClusterConnection.ConnectAsync(ct);
        var publisher = new ArtifactPublisher(cluster.Client);
        options = await publisher.ResolveLayoutAsync(options, artifact);
        console.MarkupLineInterpolated($"Publishing version [bold]{artifact.Manifest.Version}[/]: {artifact.Items.Count} movies in {options.CandidateShards} shards (index {options.Index.ToString()}), {artifact.Users.Count} users in {options.UserShards} user shards.");
        await console.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
            .StartAsync(async progress =>
            {
                var movies = progress.AddTask("movies", maxValue: artifact.Items.Count);
                var users = progress.AddTask("users", maxValue: Math.Max(1, artifact.Users.Count));
                var indexes = progress.AddTask($"indexes ({options.Index})", maxValue: options.CandidateShards!.Value);
                var report = new Progress<PublishProgress>(p => (p.Stage switch { "movies" => movies, "users" => users, _ => indexes }).Value = p.Done);
                await publisher.PublishAsync(artifact, options, report, ct);
                movies.Value = movies.MaxValue;
                users.Value = users.MaxValue;
                indexes.Value = indexes.MaxValue;
            });
        var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        PublishTelemetry.Duration.Record(seconds, new KeyValuePair<string, object?>("version", artifact.Manifest.Version));
        console.MarkupLineInterpolated($"Version [bold]{artifact.Manifest.Version}[/] is active ({seconds:F1} s).");
    }
}
