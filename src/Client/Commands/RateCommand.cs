using System.CommandLine;
using System.Globalization;
using MovieRecommender.Cluster;
using MovieRecommender.CommandLine;
using MovieRecommender.Grains;
using Spectre.Console;

namespace MovieRecommender.Client.Commands;

/// <summary>
/// <c>rate USER MOVIE RATING</c> records a rating (durable, excluded and folded into the user's query at once);
/// <c>export-ratings --out FILE</c> writes every rating recorded since training as ml-latest <c>ratings.csv</c> rows, streamed from the user log in a stable order.
/// </summary>
public static class RateCommand
{
    public static IEnumerable<Command> Create()
    {
        var user = new Argument<string>("user") { Description = "The user id, e.g. 42." };
        user.Matching(RecommendCommand.UserIdRule, RecommendCommand.IsUserId);
        var movie = new Argument<string>("movie") { Description = "The movie id, e.g. 50." }.Matching(RecommendCommand.MovieIdRule, RecommendCommand.IsUserId);
        var rating = new Argument<double>("rating") { Description = "The rating, in stars." }.Number(IUserGrain.MinRating, IUserGrain.MaxRating);
        var rate = new Command("rate", "Record a user's rating of a movie.") { user, movie, rating };
        rate.SetAction(async (parsed, ct) =>
        {
            await using var cluster = await ClusterConnection.ConnectAsync(ct);
            await cluster.Client.GetGrain<IUserGrain>(parsed.GetValue(user)!).Rate(parsed.GetValue(movie)!, parsed.GetValue(rating));
            AnsiConsole.MarkupLineInterpolated($"Recorded: user {parsed.GetValue(user)} rated movie {parsed.GetValue(movie)} {parsed.GetValue(rating).ToString(CultureInfo.InvariantCulture)}.");
            return 0;
        });

        var output = new Option<string>("--out") { Description = "The CSV file to write (userId,movieId,rating,timestamp).", Required = true }.FileToWrite();
        var export = new Command("export-ratings", "Write every rating recorded since training, for the next training run.") { output };
        export.SetAction(async (parsed, ct) =>
        {
            await using var cluster = await ClusterConnection.ConnectAsync(ct);
            var path = parsed.GetValue(output)!;
            var temporary = path + ".tmp";
            long written = 0;
            // Streamed a segment at a time: memory does not grow with the log. Written beside, then moved, so a
            // failure part way leaves no half file under the name asked for.
            await using (var writer = new StreamWriter(temporary, append: false, System.Text.Encoding.UTF8, bufferSize: 1 << 16))
            {
                await writer.WriteLineAsync("userId,movieId,rating,timestamp");
                await foreach (var entry in IRatingLogGrain.ReadAllAsync(cluster.Client, ct))
                {
                    if (!entry.IsRating) continue;
                    await writer.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"{entry.UserId},{entry.MovieId},{entry.Value},{entry.At.ToUnixTimeSeconds()}"));
                    written++;
                }
            }
            File.Move(temporary, path, overwrite: true);
            AnsiConsole.MarkupLineInterpolated($"Wrote {written} ratings to {path}.");
            return 0;
        });
        return [rate, export];
    }
}
