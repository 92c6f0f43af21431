using System.CommandLine;
using MovieRecommender.Client.Commands;
using MovieRecommender.CommandLine;
using MovieRecommender.ServiceDefaults;

// The console's .NET tool command (ToolCommandName in Client.csproj): users type `dotnet recommender ...`.
const string program = "recommender";

var root = CommandRunner.CreateRoot(program, "Movie recommender console: recommendations from the running cluster, and the operator's commands (publish, versions, active, rollback, verify, backup, restore).");
Command[] commands =
[
    RecommendCommand.Create(),
    VerifyCommand.Create(),
    SimilarCommand.Create(),
    LoadCommand.Create(),
    PublishCommand.Create(),
    .. RateCommand.Create(),
    .. CatalogueCommand.Create(),
    ProfileCommand.Create(),
    EraseCommand.Create(),
    .. VersionsCommand.Create(),
    .. BackupCommand.Create(),
];
foreach (var command in commands) root.Subcommands.Add(command);
return await CommandRunner.RunAsync(root, args, program, TelemetryNames.ClientService);
