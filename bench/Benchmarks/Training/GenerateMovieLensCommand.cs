using System.CommandLine;
using MovieRecommender.CommandLine;
using Spectre.Console;

namespace MovieRecommender.Benchmarks.Training;

/// <summary><c>generate-movielens --out DIR</c>: writes a seeded ml-latest-layout catalogue (<see cref="MovieLensLikeCatalogue"/>)
/// for timing and checking the trainer on a catalogue the size of MovieLens' small "latest" release.</summary>
public static class GenerateMovieLensCommand
{
    public const int DefaultMovies = 10_000;
    public const int DefaultUsers = 600;
    public const int DefaultRatingsPerUser = 165;
    public const int DefaultSeed = 1;

    public static Command Create()
    {
        var output = new Option<string>("--out") { Description = "Folder to write movies.csv and ratings.csv into.", Required = true }.FolderToWrite();
        var movies = new Option<int>("--movies") { Description = "Movies in the catalogue.", DefaultValueFactory = _ => DefaultMovies }.Integer(min: 10, max: 1_000_000);
        var users = new Option<int>("--users") { Description = "Users.", DefaultValueFactory = _ => DefaultUsers }.Integer(min: 2, max: 1_000_000);
        var perUser = new Option<int>("--ratings-per-user") { Description = "Mean ratings per user (each has at least 20).", DefaultValueFactory = _ => DefaultRatingsPerUser }.Integer(min: 20, max: 100_000);
        var seed = new Option<int>("--seed") { Description = "Seed: the same arguments write the same files.", DefaultValueFactory = _ => DefaultSeed };
        var command = new Command("generate-movielens", "Write a seeded ml-latest-layout catalogue shaped like MovieLens (movies.csv, ratings.csv).")
        {
            output, movies, users, perUser, seed,
        };
        command.SetAction((parsed, _) =>
        {
            var folder = parsed.GetValue(output)!;
            var written = MovieLensLikeCatalogue.Write(folder, parsed.GetValue(movies), parsed.GetValue(users), parsed.GetValue(perUser), parsed.GetValue(seed));
            AnsiConsole.MarkupLineInterpolated($"Wrote {parsed.GetValue(movies):N0} movies, {parsed.GetValue(users):N0} users and {written:N0} ratings to [bold]{folder}[/].");
            return Task.FromResult(0);
        });
        return command;
    }
}
