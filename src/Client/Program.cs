using System.CommandLine;
using MovieRecommender.Client.Commands;
using MovieRecommender.Cli;
using MovieRecommender.Telemetry;

var root = new RootCommand("Movie recommender console: recommendations from the running cluster, and the operator's commands (publish, versions, active, rollback, verify).")
{
    RecommendCommand.Create(),
    VerifyCommand.Create(),
    SimilarCommand.Create(),
    LoadCommand.Create(),
    PublishCommand.Create(),
};
foreach (var command in RateCommand.Create()) root.Subcommands.Add(command);
foreach (var command in VersionsCommand.Create()) root.Subcommands.Add(command);
return await CommandRunner.RunAsync(root, args, "client", TelemetryNames.ClientService);
