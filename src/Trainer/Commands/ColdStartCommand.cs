using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using MovieRecommender.CommandLine;
using MovieRecommender.Trainer.Evaluation.ColdStart;
using MovieRecommender.Trainer.Training;
using Spectre.Console;

namespace MovieRecommender.Trainer.Commands;

/// <summary>
/// <c>cold-start --data DIR --json FILE</c>: how the default serves movies and users it never saw, embedded from their
/// features alone by the artifact's towers, beside the content baseline and random (movies) and the popular list (users);
/// the protocol is <see cref="ColdStartEvaluation"/>'s. <c>--validation</c> measures on a carve of the training pairs
/// instead, to choose by.
/// </summary>
public static class ColdStartCommand
{
    public static Command Create()
    {
        var datasetOptions = new DatasetOptions();
        var seed = new Option<int>("--seed") { Description = "Seed of the movies and users held out, of the split and of training.", DefaultValueFactory = _ => 42 }.Integer(min: 0);
        var threads = ThreadsOption.Create();
        var coldStart = new ColdStartOptions();
        var validation = new Option<bool>("--validation") { Description = "Measure on a validation carve of the training pairs (the test run's held-out movies, users and test pairs left out), to choose settings by." };
        var json = new Option<string>("--json") { Description = "Where to write the results.", Required = true }.FileToWrite();
        var command = new Command("cold-start", "Measure how the default ranks held-out movies and users embedded from features alone, beside content, random and popular.")
        {
            datasetOptions.Data, seed, threads, coldStart.Share, coldStart.UserShare, coldStart.NewUserScale, validation, json, datasetOptions.SkipBadRows,
        };
        command.SetAction((parsed, ct) =>
        {
            var console = AnsiConsole.Console;
            var dataset = datasetOptions.Load(parsed, console);
            var threadCount = ThreadsOption.Resolve(parsed, threads);
            var config = coldStart.Apply(parsed, TrainingConfig.Default with { Seed = parsed.GetValue(seed), Threads = threadCount });
            var onValidation = parsed.GetValue(validation);

            ColdMovieFigures movies = null!;
            ColdUserFigures users = null!;
            console.Status().Start("held-out movies: training ...", _ => movies = ColdStartEvaluation.Movies(dataset, config, onValidation, ct));
            console.Status().Start("held-out users: training ...", _ => users = ColdStartEvaluation.Users(dataset, config, onValidation, ct));

            console.Write(Render(movies, users, dataset.Name, onValidation));
            console.MarkupLineInterpolated(
                $"Movies: model / content {Ratio(movies.Model.Top10, movies.Content.Top10)} at top-10, {Ratio(movies.Model.Top100, movies.Content.Top100)} at top-100; cold bias {movies.ColdMovieBias.ToString("F3", CultureInfo.InvariantCulture)}. {MachineDescription.TrainingSummary(threadCount)}");

            var path = parsed.GetValue(json)!;
            var report = TrainerReport.Start("cold-start", dataset.Name);
            report["seed"] = config.Seed;
            report["split"] = onValidation ? "validation carve of the training pairs" : "test";
            report["idDropout"] = config.IdDropout;
            report["userIdDropout"] = config.EffectiveUserIdDropout;
            report["newUserScale"] = config.NewUserScale;
            report["metric"] = "top-K hit rate over the held-out movies' (users') pairs, each user's training movies excluded";
            report["machine"] = MachineDescription.ForTraining(threadCount);
            report["movies"] = new JsonObject { ["model"] = Figures(movies.Model), ["content"] = Figures(movies.Content), ["random"] = Figures(movies.Random) };
            report["users"] = new JsonObject { ["model"] = Figures(users.Model), ["popular"] = Figures(users.Popular) };
            report["details"] = new JsonObject
            {
                ["movies"] = new JsonObject { ["heldOut"] = movies.HeldOutMovies, ["pairs"] = movies.Pairs, ["coldMovieBias"] = movies.ColdMovieBias, ["trainingSeconds"] = movies.TrainingSeconds },
                ["users"] = new JsonObject { ["heldOut"] = users.HeldOutUsers, ["pairs"] = users.Pairs, ["withoutKnownFeatures"] = users.UnknownUsers, ["trainingSeconds"] = users.TrainingSeconds },
            };
            TrainerReport.Write(path, report);
            console.MarkupLineInterpolated($"Wrote {path}.");
            return Task.FromResult(0);
        });
        return command;
    }

    private static JsonObject Figures(ColdFigures f) => new() { ["10"] = Math.Round(f.Top10, 6), ["100"] = Math.Round(f.Top100, 6) };

    private static Table Render(ColdMovieFigures movies, ColdUserFigures users, string dataset, bool validation)
    {
        var table = new Table().Title($"cold start on {dataset} ({(validation ? "validation carve" : "test")}), seen excluded")
            .AddColumn("held out").AddColumn("ranked by").AddColumn(new TableColumn("top-10").RightAligned()).AddColumn(new TableColumn("top-100").RightAligned());
        var moviesLabel = $"{I(movies.HeldOutMovies)} movies\n{I(movies.Pairs)} pairs";
        table.AddRow(moviesLabel, "model (features alone)", F(movies.Model.Top10), F(movies.Model.Top100));
        table.AddRow("", "content", F(movies.Content.Top10), F(movies.Content.Top100));
        table.AddRow("", "random", F(movies.Random.Top10), F(movies.Random.Top100));
        table.AddEmptyRow();
        table.AddRow($"{I(users.HeldOutUsers)} users\n{I(users.Pairs)} pairs", "model (demographics alone)", F(users.Model.Top10), F(users.Model.Top100));
        table.AddRow("", "popular", F(users.Popular.Top10), F(users.Popular.Top100));
        return table;
    }

    private static string Ratio(double model, double baseline) => baseline > 0 ? (model / baseline).ToString("F2", CultureInfo.InvariantCulture) + "x" : "-";
    private static string F(double v) => v.ToString("F4", CultureInfo.InvariantCulture);
    private static string I(int v) => v.ToString("N0", CultureInfo.InvariantCulture);
}
