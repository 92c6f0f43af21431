using System.CommandLine;
using System.Globalization;
using MovieRecommender.Artifacts;
using MovieRecommender.Cluster;
using MovieRecommender.CommandLine;
using MovieRecommender.Grains;
using Spectre.Console;

namespace MovieRecommender.Client.Commands;

/// <summary>
/// The live catalogue from the console: <c>put-movie</c>, <c>put-movies FILE</c> (a CSV of many), <c>take-down</c>,
/// and <c>export-catalogue --out FILE</c>, which writes the movies put live for the next training run
/// (<c>train --extra-movies FILE</c>).
/// </summary>
public static class CatalogueCommand
{
    public static IEnumerable<Command> Create()
    {
        var movie = new Argument<string>("movie") { Description = "The movie id, e.g. 1683: a new id adds a movie, a known one changes it." }
            .Matching(RecommendCommand.MovieIdRule, RecommendCommand.IsUserId);
        var title = new Option<string>("--title") { Description = "The title, e.g. \"Arrival (2016)\".", Required = true }.Text(500);
        var genres = new Option<string>("--genres") { Description = "The genres, comma-separated, e.g. Drama,Sci-Fi.", Required = true }.Text(500);
        var year = new Option<int>("--year") { Description = "The release year.", Required = true }.Integer(MovieDescription.MinYear, MovieDescription.MaxYear);
        var put = new Command("put-movie", "Add a movie, or change a known one, while serving: served by every silo once this returns.") { movie, title, genres, year };
        put.SetAction(async (parsed, ct) =>
        {
            var id = parsed.GetValue(movie)!;
            var description = new MovieDescription(parsed.GetValue(title)!.Trim(), SplitGenres(parsed.GetValue(genres)!, ','), parsed.GetValue(year));
            if (description.Problem() is { } problem) throw new UsageException(problem);
            await using var cluster = await ClusterConnection.ConnectAsync(ct);
            await ILiveCatalogueGrain.For(cluster.Client, id).Put(id, description);
            AnsiConsole.MarkupLineInterpolated($"Put movie {id}: {description.Title} ({string.Join(", ", description.Genres)}, {description.Year}).");
            return 0;
        });

        var file = new Argument<string>("file") { Description = $"A CSV with the header {MovieCsv.Header}; genres separated by '|', as MovieLens writes them." }.ExistingFile();
        var putMany = new Command("put-movies", "Add or change many movies from a CSV (what export-catalogue writes).") { file };
        putMany.SetAction(async (parsed, ct) =>
        {
            var rows = ReadCsv(parsed.GetValue(file)!);
            await using var cluster = await ClusterConnection.ConnectAsync(ct);
            var done = 0;
            await AnsiConsole.Progress().StartAsync(async progress =>
            {
                var task = progress.AddTask("movies", maxValue: rows.Count);
                await Parallel.ForEachAsync(rows, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = ct }, async (row, _) =>
                {
                    await ILiveCatalogueGrain.For(cluster.Client, row.Id).Put(row.Id, row.Description);
                    task.Value = Interlocked.Increment(ref done);
                });
            });
            AnsiConsole.MarkupLineInterpolated($"Put {rows.Count} movies.");
            return 0;
        });

        var takenDown = new Argument<string>("movie") { Description = "The movie id, e.g. 50." }.Matching(RecommendCommand.MovieIdRule, RecommendCommand.IsUserId);
        var takeDown = new Command("take-down", "Take a movie down: in no answer once this returns, across restarts and publishes, until it is put again.") { takenDown };
        takeDown.SetAction(async (parsed, ct) =>
        {
            var id = parsed.GetValue(takenDown)!;
            await using var cluster = await ClusterConnection.ConnectAsync(ct);
            if (!await ILiveCatalogueGrain.For(cluster.Client, id).TakeDown(id))
                throw new UserFacingException($"Movie '{id}' is neither in the active version's catalogue nor in the live catalogue; nothing to take down.");
            AnsiConsole.MarkupLineInterpolated($"Took movie {id} down.");
            return 0;
        });

        var output = new Option<string>("--out") { Description = $"The CSV file to write ({MovieCsv.Header}).", Required = true }.FileToWrite();
        var export = new Command("export-catalogue", "Write the movies put live (taken-down ones left out), for 'train --extra-movies'.") { output };
        export.SetAction(async (parsed, ct) =>
        {
            await using var cluster = await ClusterConnection.ConnectAsync(ct);
            var changes = await ILiveCatalogueGrain.ListAllAsync(cluster.Client);
            var movies = changes.Where(m => !m.TakenDown && m.Description is not null).OrderBy(m => m.Id, StringComparer.Ordinal).ToList();
            var path = parsed.GetValue(output)!;
            var temporary = path + ".tmp";
            await using (var writer = new StreamWriter(temporary))
            {
                await writer.WriteLineAsync(MovieCsv.Header);
                foreach (var m in movies)
                    await writer.WriteLineAsync(MovieCsv.Row(m.Id, m.Description!.Title, m.Description.Genres, m.Description.Year));
            }
            File.Move(temporary, path, overwrite: true);
            AnsiConsole.MarkupLineInterpolated($"Wrote {movies.Count} movies to {path}; taken down: {changes.Count(m => m.TakenDown)}.");
            return 0;
        });
        return [put, putMany, takeDown, export];
    }

    private static string[] SplitGenres(string text, char separator) =>
        text.Split(separator, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>Every row checked before any is sent: one bad row refuses the file, naming its line.</summary>
    private static List<(string Id, MovieDescription Description)> ReadCsv(string path)
    {
        var rows = new List<(string, MovieDescription)>();
        var lineNumber = 0;
        foreach (var line in File.ReadLines(path))
        {
            lineNumber++;
            if (lineNumber == 1)
            {
                if (line.Trim() != MovieCsv.Header) throw new UserFacingException($"{path}:1: the header must be '{MovieCsv.Header}' (found '{line.Trim()}').");
                continue;
            }
            if (line.Length == 0) continue;
            List<string> fields;
            try
            {
                fields = CsvLine.Split(line, path, lineNumber);
            }
            catch (InvalidDataException e)
            {
                throw new UserFacingException(e.Message);
            }
            if (fields.Count != 4) throw new UserFacingException($"{path}:{lineNumber}: {fields.Count} fields; a row is {MovieCsv.Header}.");
            if (!RecommendCommand.IsUserId(fields[0])) throw new UserFacingException($"{path}:{lineNumber}: movieId '{fields[0]}' is not {RecommendCommand.MovieIdRule}.");
            if (!int.TryParse(fields[3], NumberStyles.Integer, CultureInfo.InvariantCulture, out var year))
                throw new UserFacingException($"{path}:{lineNumber}: year '{fields[3]}' is not a whole number.");
            var description = new MovieDescription(fields[1].Trim(), SplitGenres(fields[2], '|'), year);
            if (description.Problem() is { } problem) throw new UserFacingException($"{path}:{lineNumber}: {problem}");
            rows.Add((fields[0], description));
        }
        return rows;
    }
}
