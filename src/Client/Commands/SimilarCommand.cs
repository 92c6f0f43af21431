using System.CommandLine;
using System.Diagnostics;
using MovieRecommender.Cluster;
using MovieRecommender.CommandLine;
using MovieRecommender.Grains;

namespace MovieRecommender.Client.Commands;

/// <summary><c>similar MOVIE [--k N] [--json]</c>: the movies nearest to a movie's candidate embedding.</summary>
public static class SimilarCommand
{
    public static Command Create()
    {
        var movie = new Argument<string>("movie") { Description = "A MovieLens movie id, e.g. 50 (Star Wars in ML-100K)." }
            .Matching(RecommendCommand.MovieIdRule, RecommendCommand.IsUserId);
        var k = KOption.Create("How many movies to return");
        var json = new Option<bool>("--json") { Description = "Print one JSON object." };
        var filter = FilterOptions.Create();
        var command = new Command("similar", "Print the movies most similar to a movie.") { movie, k, json };
        foreach (var option in filter.All) command.Options.Add(option);
        command.SetAction(async (parsed, ct) =>
        {
            var movieFilter = filter.Read(parsed);
            await using var cluster = await ClusterConnection.ConnectAsync(ct);
            await FilterOptions.CheckGenreAsync(cluster, movieFilter);
            var started = Stopwatch.GetTimestamp();
            var result = await cluster.Client.GetGrain<IMovieGrain>(parsed.GetValue(movie)!).Similar(parsed.GetValue(k), movieFilter);
            RecommendCommand.Write(result, Stopwatch.GetElapsedTime(started), parsed.GetValue(json));
            return 0;
        });
        return command;
    }
}
