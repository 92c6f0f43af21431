using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using MovieRecommender.Cluster;
using MovieRecommender.CommandLine;
using MovieRecommender.Contracts;
using MovieRecommender.Grains;
using MovieRecommender.Operations;
using Spectre.Console;

namespace MovieRecommender.Client.Commands;

/// <summary><c>recommend USER... [--k N] [--json] [--probe P] [--rerank R]</c>: each user's top K, as a table or one JSON line per user.</summary>
public static class RecommendCommand
{
    public static Command Create()
    {
        var users = new Argument<string[]>("user")
        {
            Description = "One or more MovieLens user ids, e.g. 42.",
            Arity = ArgumentArity.OneOrMore,
        };
        users.Matching(UserIdRule, IsUserId);
        var k = KOption.Create("How many movies to return");
        var json = new Option<bool>("--json") { Description = "Print one JSON object per user per line." };
        var filter = FilterOptions.Create();
        var probe = new Option<int?>("--probe")
        {
            Description = "IVF lists each shard probes for this request (more: better recall, slower); default: what the version was published with.",
        }.Integer(1, SearchTuning.MaxProbe);
        var rerank = new Option<int?>("--rerank")
        {
            Description = "Candidates each shard rescores exactly for this request (more: better recall, slower); default: the version's.",
        }.Integer(1, SearchTuning.MaxRerank);

        var command = new Command("recommend", "Print each user's top K movies, seen movies excluded.") { users, k, json, probe, rerank };
        foreach (var option in filter.All) command.Options.Add(option);
        command.SetAction((parsed, ct) => RunAsync(parsed.GetValue(users)!, parsed.GetValue(k), parsed.GetValue(json), filter.Read(parsed),
            new SearchTuning(parsed.GetValue(probe), parsed.GetValue(rerank)), ct));
        return command;
    }

    /// <summary>What a user or movie id argument expects: MovieLens ids are positive integers.</summary>
    public const string UserIdRule = "a user id (a positive integer, e.g. 42)";
    public const string MovieIdRule = "a movie id (a positive integer, e.g. 50)";

    public static bool IsUserId(string text) =>
        text.Length <= 18 && long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var id) && id > 0;

    private static async Task<int> RunAsync(string[] users, int k, bool json, MovieFilter filter, SearchTuning tuning, CancellationToken ct)
    {
        await using var cluster = await ClusterConnection.ConnectAsync(ct);
        await FilterOptions.CheckGenreAsync(cluster, filter);
        foreach (var user in users)
        {
            var started = Stopwatch.GetTimestamp();
            Recommendation recommendation;
            using (var activity = RecommendationTracing.StartRecommend(user, k))
            {
                try
                {
                    recommendation = await cluster.Client.GetGrain<IUserGrain>(user).Recommend(k, filter, tuning);
                    activity.Answered(recommendation);
                }
                catch (Exception e)
                {
                    activity.Failed(e);
                    throw;
                }
            }
            var latency = Stopwatch.GetElapsedTime(started);
            if (json) WriteJson(recommendation, latency);
            else WriteTable(recommendation, latency);
        }
        return 0;
    }

    public static void Write(Recommendation recommendation, TimeSpan latency, bool json)
    {
        if (json) WriteJson(recommendation, latency);
        else WriteTable(recommendation, latency);
    }

    // The same object the HTTP API answers (GET /v1/users/{id}/recommendations).
    private static void WriteJson(Recommendation r, TimeSpan latency) =>
        Console.Out.WriteLine(JsonSerializer.Serialize(RecommendationJson.From(r, latency), RecommendationJson.Options));

    private static void WriteTable(Recommendation r, TimeSpan latency)
    {
        var source = r.Source switch
        {
            RecommendationSource.Popular => "[yellow]popular movies: the model does not know this user[/]",
            RecommendationSource.Ratings => $"[yellow]from the user's ratings: the model does not know this user[/] · {r.ShardsAnswered}/{r.ShardCount} shards",
            _ => $"{r.ShardsAnswered}/{r.ShardCount} shards",
        };
        var title = r.Source == RecommendationSource.Similar ? $"Movies like {Markup.Escape(r.UserId)}" : $"User {Markup.Escape(r.UserId)}";
        var table = new Table()
            .Title($"{title}: top {r.Movies.Length}")
            .Caption($"model {Markup.Escape(r.ModelVersion)} · {source} · {latency.TotalMilliseconds:F1} ms")
            .AddColumn(new TableColumn("Rank").RightAligned())
            .AddColumn("Title")
            .AddColumn(new TableColumn(r.Source == RecommendationSource.Popular ? "Ratings" : "Score").RightAligned());
        for (var i = 0; i < r.Movies.Length; i++)
        {
            var m = r.Movies[i];
            var score = r.Source == RecommendationSource.Popular
                ? m.Score.ToString("F0", CultureInfo.InvariantCulture)
                : m.Score.ToString("F4", CultureInfo.InvariantCulture);
            table.AddRow((i + 1).ToString(CultureInfo.InvariantCulture), Markup.Escape(m.Title), score);
        }
        AnsiConsole.Write(table);
    }
}
