using System.CommandLine;
using MovieRecommender.CommandLine;

// Benchmarks print a table and write JSON; each is a subcommand.
// Named as errors and help name it (RootCommand would take the assembly's name).
const string program = "benchmarks";
var root = CommandRunner.CreateRoot(program, "Movie recommender benchmarks.");
Command[] commands =
[
    MovieRecommender.Benchmarks.Index.IndexBenchmarkCommand.Create(),
    MovieRecommender.Benchmarks.Training.TrainingBenchmarkCommand.Create(),
    MovieRecommender.Benchmarks.Training.GenerateMovieLensCommand.Create(),
    MovieRecommender.Benchmarks.Training.TuningBenchmarkCommand.Create(),
    MovieRecommender.Benchmarks.Publish.PublishBenchmarkCommand.Create(),
    MovieRecommender.Benchmarks.Telemetry.TelemetryOverheadCommand.Create(),
    MovieRecommender.Benchmarks.Telemetry.ServedRecallCommand.Create(),
    MovieRecommender.Benchmarks.Http.HttpBenchmarkCommand.Create(),
    MovieRecommender.Benchmarks.Serving.ServeBenchmarkCommand.Create(),
    MovieRecommender.Benchmarks.Catalogue.LiveCatalogueBenchmarkCommand.Create(),
    MovieRecommender.Benchmarks.Ratings.RatingsBenchmarkCommand.Create(),
];
foreach (var command in commands) root.Subcommands.Add(command);
return await CommandRunner.RunAsync(root, args, program);
