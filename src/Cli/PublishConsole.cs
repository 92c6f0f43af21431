using System.CommandLine;
using System.Diagnostics;
using MovieRecommender.Artifacts;
using MovieRecommender.ClusterClient;
using MovieRecommender.ClusterClient.Publishing;
using Spectre.Console;

namespace MovieRecommender.Cli;

/// <summary>
/// Publishing from a console, with its options and a progress display: the console's <c>publish</c> and the
/// trainer's <c>train --publish</c> both go through here.
/// </summary>
public static class PublishConsole
{
    private static readonly Option<int> ShardsOption = new Option<int>("--shards")
    {
        Description = "Candidate shards to split the movies over; every recommendation fans out to all of them.",
        DefaultValueFactory = _ => new PublishOptions().CandidateShards,
    }.Integer(min: 1, max: 4096);

    private static readonly Option<int> UserShardsOption = new Option<int>("--user-shards")
    {
        Description = "User shards to split the users' query embeddings over.",
        DefaultValueFactory = _ => new PublishOptions().UserShards,
    }.Integer(min: 1, max: 4096);

    /// <summary>The layout options, shared with <c>train --publish</c>.</summary>
    public static IEnumerable<Option> LayoutOptions => [ShardsOption, UserShardsOption];

    public static PublishOptions ReadLayout(ParseResult parsed) => new()
    {
        CandidateShards = parsed.GetValue(ShardsOption),
        UserShards = parsed.GetValue(UserShardsOption),
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
        console.MarkupLineInterpolated($"Publishing version [bold]{artifact.Manifest.Version}[/]: {artifact.Items.Count} movies in {options.CandidateShards} shards, {artifact.Users.Count} users in {options.UserShards} user shards.");

        await using var cluster = await ClusterConnection.ConnectAsync(ct);
        var publisher = new ArtifactPublisher(cluster.Client);
        await console.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
            .StartAsync(async progress =>
            {
                var movies = progress.AddTask("movies", maxValue: artifact.Items.Count);
                var users = progress.AddTask("users", maxValue: Math.Max(1, artifact.Users.Count));
                var report = new Progress<PublishProgress>(p => (p.Stage == "movies" ? movies : users).Value = p.Done);
                await publisher.PublishAsync(artifact, options, report, ct);
                movies.Value = movies.MaxValue;
                users.Value = users.MaxValue;
            });
        var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        PublishTelemetry.Duration.Record(seconds, new KeyValuePair<string, object?>("version", artifact.Manifest.Version));
        console.MarkupLineInterpolated($"Version [bold]{artifact.Manifest.Version}[/] is active ({seconds:F1} s).");
    }
}
