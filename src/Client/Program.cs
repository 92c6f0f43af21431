using System.CommandLine;
using MovieRecommender.Client.Commands;
using MovieRecommender.Model.Cli;
using MovieRecommender.Telemetry;

var root = new RootCommand("Movie recommender client: asks the running cluster for recommendations.")
{
    RecommendCommand.Create(),
    VerifyCommand.Create(),
    SimilarCommand.Create(),
    LoadCommand.Create(),
};
foreach (var command in RateCommand.Create()) root.Subcommands.Add(command);
foreach (var command in VersionsCommand.Create()) root.Subcommands.Add(command);
return await CommandRunner.RunAsync(root, args, "client", TelemetryNames.ClientService);
