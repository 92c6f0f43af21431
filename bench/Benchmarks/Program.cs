using System.CommandLine;
using MovieRecommender.Cli;

// Benchmarks print a table and write JSON; each is a subcommand.
var root = new RootCommand("Movie recommender benchmarks.")
{
    MovieRecommender.Benchmarks.Index.IndexBenchmarkCommand.Create(),
    MovieRecommender.Benchmarks.Training.TrainingBenchmarkCommand.Create(),
    MovieRecommender.Benchmarks.Publish.PublishBenchmarkCommand.Create(),
    MovieRecommender.Benchmarks.Telemetry.TelemetryOverheadCommand.Create(),
    MovieRecommender.Benchmarks.Telemetry.ServedRecallCommand.Create(),
};
return await CommandRunner.RunAsync(root, args, "benchmarks");
