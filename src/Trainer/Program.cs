using System.CommandLine;
using MovieRecommender.Cli;
using MovieRecommender.Telemetry;
using MovieRecommender.Trainer.Commands;
using MovieRecommender.Trainer.Training;

NativeMemoryTuning.Apply();

var root = new RootCommand("Movie recommender trainer: trains and evaluates the two-tower model on MovieLens (train --publish also publishes it).")
{
    TrainCommand.Create(),
    EvaluateCommand.Create(),
    AblationCommand.Create(),
};
return await CommandRunner.RunAsync(root, args, "trainer", TelemetryNames.TrainerService);
