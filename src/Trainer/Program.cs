using System.CommandLine;
using MovieRecommender.CommandLine;
using MovieRecommender.ServiceDefaults;
using MovieRecommender.Trainer.Commands;
using MovieRecommender.Trainer.Training;

NativeMemoryTuning.Apply();
OpenMpWaitPolicy.Apply();
LibTorchPreload.Apply();

// The trainer's .NET tool command (ToolCommandName in Trainer.csproj): users type `dotnet recommender-trainer ...`.
const string program = "recommender-trainer";

var root = CommandRunner.CreateRoot(program, "Movie recommender trainer: trains and evaluates the two-tower model on MovieLens (train --publish also publishes it).");
root.Subcommands.Add(TrainCommand.Create());
root.Subcommands.Add(EvaluateCommand.Create());
root.Subcommands.Add(AblationCommand.Create());
root.Subcommands.Add(SpreadCommand.Create());
root.Subcommands.Add(ColdStartCommand.Create());
return await CommandRunner.RunAsync(root, args, program, TelemetryNames.TrainerService);
