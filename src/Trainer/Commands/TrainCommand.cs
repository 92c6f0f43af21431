using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using MovieRecommender.Model.Artifacts;
using MovieRecommender.Trainer.Data;
using MovieRecommender.Trainer.Training;
using Spectre.Console;

namespace MovieRecommender.Trainer.Commands;

/// <summary><c>train</c>: load MovieLens, split, train the two-tower model, evaluate it beside popularity and EASE,
/// write a model artifact and print its folder alone on the last line of stdout.</summary>
public static class TrainCommand
{
    public static Command Create()
    {
        var data = new Option<string?>("--data") { Description = $"MovieLens folder (ML-100K or ml-latest layout); else ${DatasetLocator.EnvironmentVariable}." };
        var output = new Option<string>("--out") { Description = "Folder under which the artifact version folder is created.", DefaultValueFactory = _ => "models" };
        var seed = new Option<int>("--seed") { Description = "Seed of the train/test split and of training.", DefaultValueFactory = _ => 42 };
        var preset = new Option<string>("--preset") { Description = "default (ids + features, full softmax, cosine/temperature, Adam) or notebook (the original notebook's configuration).", DefaultValueFactory = _ => "default" };
        var dim = new Option<int?>("--dim") { Description = "Embedding dimension." };
        var epochs = new Option<int?>("--epochs") { Description = "Training epochs." };
        var batch = new Option<int?>("--batch") { Description = "Batch size." };
        var lr = new Option<double?>("--lr") { Description = "Learning rate." };
        var weightDecay = new Option<double?>("--weight-decay") { Description = "L2 weight decay." };
        var optimizer = new Option<string?>("--optimizer") { Description = "adam or adagrad." };
        var loss = new Option<string?>("--loss") { Description = "full (softmax over every movie) or in-batch (over the batch's movies)." };
        var temperature = new Option<double?>("--temperature") { Description = "> 0: L2-normalised towers, scores divided by it; 0: plain dot product." };
        var features = new Option<bool?>("--features") { Description = "Use user and movie features (true/false)." };
        var threads = new Option<int?>("--threads") { Description = "TorchSharp threads (default 2, at most the processor count)." };
        var publish = new Option<bool>("--publish") { Description = "Publish the artifact into the running cluster afterwards." };

        var command = new Command("train", "Train the two-tower model on MovieLens, evaluate it beside popularity and EASE, and write a model artifact.")
        {
            data, output, seed, preset, dim, epochs, batch, lr, weightDecay, optimizer, loss, temperature, features, threads, publish,
        };
        foreach (var option in PublishCommand.LayoutOptions) command.Options.Add(option);

        command.SetAction(async (parsed, ct) =>
        {
            var console = AnsiConsole.Console;
            var config = parsed.GetValue(preset) switch
            {
                "default" => TrainingConfig.Default,
                "notebook" => TrainingConfig.Notebook,
                var other => throw new UserFacingException($"--preset must be default or notebook (got '{other}')."),
            };
            if (parsed.GetValue(optimizer) is { } opt && opt is not ("adam" or "adagrad"))
                throw new UserFacingException($"--optimizer must be adam or adagrad (got '{opt}').");
            if (parsed.GetValue(loss) is { } lossName && lossName is not ("full" or "in-batch"))
                throw new UserFacingException($"--loss must be full or in-batch (got '{lossName}').");
            config = config with
            {
                Seed = parsed.GetValue(seed),
                Dimension = parsed.GetValue(dim) ?? config.Dimension,
                Epochs = parsed.GetValue(epochs) ?? config.Epochs,
                BatchSize = parsed.GetValue(batch) ?? config.BatchSize,
                LearningRate = parsed.GetValue(lr) ?? config.LearningRate,
                WeightDecay = parsed.GetValue(weightDecay) ?? config.WeightDecay,
                Optimizer = parsed.GetValue(optimizer) is { } o ? (o == "adagrad" ? OptimizerKind.Adagrad : OptimizerKind.Adam) : config.Optimizer,
                Loss = parsed.GetValue(loss) is { } l ? (l == "in-batch" ? LossKind.InBatch : LossKind.Full) : config.Loss,
                Temperature = parsed.GetValue(temperature) ?? config.Temperature,
                UseFeatures = parsed.GetValue(features) ?? config.UseFeatures,
                Threads = Math.Min(parsed.GetValue(threads) ?? config.Threads, Environment.ProcessorCount),
            };
            if (parsed.GetValue(threads) is < 1) throw new UserFacingException($"--threads must be at least 1 (got {parsed.GetValue(threads)}).");
            try { config.Validate(); }
            catch (ArgumentException e) { throw new UserFacingException(e.Message, e); }
            var outRoot = parsed.GetValue(output);
            if (string.IsNullOrWhiteSpace(outRoot)) throw new UserFacingException("--out must name a folder.");

            var dir = DatasetLocator.Resolve(parsed.GetValue(data), console);
            var artifactDir = await RunAsync(dir, outRoot, config, console, ct);
            if (parsed.GetValue(publish))
                await PublishCommand.PublishAsync(artifactDir, console, PublishCommand.ReadLayout(parsed), ct);
            Console.Out.WriteLine(artifactDir);
            return 0;
        });
        return command;
    }

    /// <summary>Loads, trains, evaluates, prints and writes; returns the artifact folder.</summary>
    public static async Task<string> RunAsync(string dataDir, string outRoot, TrainingConfig config, IAnsiConsole console, CancellationToken ct)
    {
        InteractionDataset dataset;
        try
        {
            dataset = MovieLensLoader.Load(dataDir);
        }
        catch (Exception e) when (e is InvalidDataException or FileNotFoundException or DirectoryNotFoundException)
        {
            throw new UserFacingException(e.Message, e);
        }
        console.MarkupLineInterpolated(
            $"Loaded [bold]{dataset.Name}[/] ({dataset.Layout}): {dataset.Ratings:N0} ratings, {dataset.PairCount:N0} unique pairs, {dataset.Users.Count:N0} users, {dataset.Items.Count:N0} movies.");
        if (dataset.PairCount < 2) throw new UserFacingException($"{dataDir}: {dataset.PairCount} interactions are too few to split and train.");

        var split = TrainTestSplit.Create(dataset, config.Seed);
        console.MarkupLineInterpolated($"Split with seed [bold]{config.Seed}[/]: {split.TrainCount:N0} train, {split.TestCount:N0} test pairs.");
        console.MarkupLineInterpolated(
            $"Training: preset {config.Preset}, dim {config.Dimension}, {config.Epochs} epochs, batch {config.BatchSize}, {config.Optimizer.ToString().ToLowerInvariant()} lr {config.LearningRate.ToString(CultureInfo.InvariantCulture)}, loss {(config.Loss == LossKind.Full ? "full" : "in-batch")}, temperature {config.Temperature.ToString(CultureInfo.InvariantCulture)}, features {(config.UseFeatures ? "on" : "off")}, {config.Threads} threads.");

        TrainedModel? model = null;
        await console.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
            .StartAsync(async ctx =>
            {
                var task = ctx.AddTask("training", maxValue: 1.0);
                var progress = new SynchronousProgress<TrainingProgress>(p =>
                {
                    task.Value = p.Fraction;
                    task.Description = $"epoch {p.Epoch + 1}/{p.Epochs} batch {p.Batch}/{p.BatchesPerEpoch} loss {p.Loss:F4}";
                });
                model = await Task.Run(() => TwoTowerTrainer.Train(dataset, split, config, progress, ct), ct);
                task.Value = 1.0;
            });
        using var trained = model!;
        console.MarkupLineInterpolated($"Trained in {trained.TrainingSeconds:F1} s; loss per epoch: {string.Join(" ", trained.EpochLosses.Select(l => l.ToString("F4", CultureInfo.InvariantCulture)))}.");

        var evalWatch = Stopwatch.StartNew();
        EvaluationTable evaluation = null!;
        await console.Status().StartAsync("Evaluating the model, popularity and EASE ...",
            async _ => evaluation = await Task.Run(() => TrainingPipeline.Evaluate(dataset, split, trained), ct));
        console.Write(EvaluationTableView.Render(evaluation, trained.TrainingSeconds));
        console.MarkupLineInterpolated($"Evaluated in {evalWatch.Elapsed.TotalSeconds:F1} s.");

        using var run = new TrainingRun(dataset, split, trained, evaluation);
        var folder = ArtifactWriter.Write(outRoot, TrainingPipeline.ToArtifact(run));
        console.MarkupLineInterpolated($"Wrote the artifact [bold]{folder}[/].");
        return folder;
    }
}
