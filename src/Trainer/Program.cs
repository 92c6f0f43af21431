using System.CommandLine;
using MovieRecommender.Model.Cli;
using MovieRecommender.Telemetry;
using MovieRecommender.Trainer.Commands;
using MovieRecommender.Trainer.Training;

NativeMemoryTuning.Apply();

var root = new RootCommand("Movie recommender trainer: trains the two-tower model on MovieLens and publishes it into the cluster.")
{
    TrainCommand.Create(),
    PublishCommand.Create(),
    EvaluateCommand.Create(),
    AblationCommand.Create(),
};
return await CommandRunner.RunAsync(root, args, "trainer", TelemetryNames.TrainerService);
