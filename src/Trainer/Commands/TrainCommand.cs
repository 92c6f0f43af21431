using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using MovieRecommender.Artifacts;
using MovieRecommender.CommandLine;
using MovieRecommender.Operations.Publishing;
using MovieRecommender.Trainer.Data;
using MovieRecommender.Trainer.Training;
using MovieRecommender.Trainer.Tuning;
using Spectre.Console;

namespace MovieRecommender.Trainer.Commands;

/// <summary><c>train</c>: load MovieLens, split, train the two-tower model, evaluate it beside popularity and EASE,
/// write a model artifact and print its folder alone on the last line of stdout.</summary>
public static class TrainCommand
{
    public static Command Create()
    {
        var data = new Option<string?>("--data") { Description = $"MovieLens folder (the ML-100K, ml-latest or ml-1m layout); else ${DatasetLocator.EnvironmentVariable}." }.ExistingFolder();
        var output = new Option<string>("--out") { Description = "Folder under which the artifact version folder is created.", DefaultValueFactory = _ => "models" }.FolderToWrite();
        var seed = new Option<int>("--seed") { Description = "Seed of the train/test split and of training.", DefaultValueFactory = _ => 42 };
        var preset = new Option<string>("--preset") { Description = "default (ids + features, per-user softmax, cosine/temperature, Adam) or notebook (the original notebook's configuration).", DefaultValueFactory = _ => "default" }.OneOf("default", "notebook");
        var dim = new Option<int?>("--dim") { Description = "Embedding dimension." }.Integer(min: 1, max: 65536);
        var epochs = new Option<int?>("--epochs") { Description = "Training epochs." }.Integer(min: 0, max: 100_000);
        var batch = new Option<int?>("--batch") { Description = "Batch size: pairs, or users with --loss per-user." }.Integer(min: 1, max: 10_000_000);
        var lr = new Option<double?>("--lr") { Description = "Learning rate." }.Number(min: 0, max: 1000, above: true);
        var weightDecay = new Option<double?>("--weight-decay") { Description = "L2 weight decay." }.Number(min: 0, max: 1000);
        var optimizer = new Option<string?>("--optimizer") { Description = "adam or adagrad." }.OneOf("adam", "adagrad");
        var loss = new Option<string?>("--loss") { Description = "per-user (batches of users; a share of each one's movies hidden and predicted over every movie), auto (full softmax where the catalogue fits, else in-batch), full (softmax over every movie) or in-batch (over the batch's movies)." }.OneOf("per-user", "auto", "full", "in-batch");
        var logQ = new Option<bool?>("--logq") { Description = "Log-Q correct the in-batch softmax (true/false)." };
        var normalize = new Option<bool?>("--normalize") { Description = "L2-normalise both towers (true/false)." };
        var temperature = new Option<double?>("--temperature") { Description = "Logits are divided by it (1: unchanged)." }.Number(min: 0, max: 1000, above: true);
        var features = new Option<string?>("--features") { Description = "Tower features: all, none, or a list of age,gender,occupation,zip,history,genres,year,title." }
            .Matching("all, none, or a comma-separated list of features", text => { try { TowerFeatureNames.Parse(text); return true; } catch (ArgumentException) { return false; } });
        var pooling = new Option<string?>("--history-pooling") { Description = "How the history feature pools its movies: mean (1/n each) or sqrt (1/√n each)." }.OneOf("mean", "sqrt");
        var shareHistory = new Option<bool?>("--share-history") { Description = "The history pools the movies' id embeddings instead of a table of its own (true/false)." };
        var targetShare = new Option<double?>("--target-share") { Description = "With --loss per-user: the share of each user's movies hidden and predicted at each step." }.Number(min: 0, max: 0.95, above: true);
        var coldStart = new ColdStartOptions();
        var schedule = new Option<string?>("--lr-schedule") { Description = "constant, or cosine (decay to a tenth of --lr over --epochs)." }.OneOf("constant", "cosine");
        var itemBias = new Option<bool?>("--item-bias") { Description = "Learn a per-movie bias added to every score (true/false)." };
        var validation = new Option<double?>("--validation") { Description = "Share of training pairs held out to choose the epoch count by early stopping (0: train exactly --epochs)." }.Number(min: 0, max: 0.49);
        var patience = new Option<int?>("--patience") { Description = "Epochs without a better validation score before stopping." }.Integer(min: 1, max: 100_000);
        var threads = new Option<int?>("--threads") { Description = "TorchSharp threads (default 2, at most the processor count)." }.Integer(min: 1, max: 1024);
        var extraRatings = new Option<string?>("--extra-ratings") { Description = "A ratings.csv of ratings recorded since (the client's export-ratings), merged into the data." }.ExistingFile();
        var extraMovies = new Option<string?>("--extra-movies") { Description = "A movies CSV (movieId,title,genres,year; the console's export-catalogue): a listed movie's title, genres and year replaced, a new id added to the catalogue." }.ExistingFile();
        var skipBadRows = new Option<bool>("--skip-bad-rows") { Description = "Skip bad data rows (malformed, unknown movie, rating outside 0.5-5, repeated id) and report how many of each, instead of stopping at the first." };
        var publish = new Option<bool>("--publish") { Description = "Publish the artifact into the running cluster afterwards." };
        var tuneBudget = new Option<double>("--tune-budget") { Description = "Tuning's budget, in runs of the preset's epochs (trials train on the training pairs less the validation pairs).", DefaultValueFactory = _ => HyperparameterSearch.DefaultBudgetRuns }.Number(min: 0, max: 100, above: true);
        var noTune = new Option<bool>("--no-tune") { Description = "Train the preset's settings as they are, instead of first choosing temperature, epochs, learning rate and weight decay on validation pairs carved from the training pairs (the default preset tunes; settings given as options stay fixed)." };

        var command = new Command("train", "Train the two-tower model on MovieLens, evaluate it beside popularity and EASE, and write a model artifact.")
        {
            data, output, seed, preset, dim, epochs, batch, lr, weightDecay, optimizer, loss, logQ, normalize, temperature, features,
            itemBias, pooling, shareHistory, targetShare, coldStart.Share, coldStart.UserShare, coldStart.NewUserScale, schedule, validation, patience, threads, extraRatings, extraMovies, skipBadRows, noTune, tuneBudget, publish,
        };
        foreach (var option in PublishConsole.LayoutOptions) command.Options.Add(option);

        command.SetAction(async (parsed, ct) =>
        {
            var console = AnsiConsole.Console;
            TrainingConfig config;
            try { config = TrainingConfig.FromPreset(parsed.GetValue(preset)!); }
            catch (ArgumentException e) { throw new UserFacingException($"--preset must be default or notebook (got '{parsed.GetValue(preset)}').", e); }
            if (parsed.GetValue(optimizer) is { } opt && opt is not ("adam" or "adagrad"))
                throw new UserFacingException($"--optimizer must be adam or adagrad (got '{opt}').");
            if (parsed.GetValue(loss) is { } lossName && lossName is not ("per-user" or "auto" or "full" or "in-batch"))
                throw new UserFacingException($"--loss must be per-user, auto, full or in-batch (got '{lossName}').");
            TowerFeatures? featureSwitches = null;
            if (parsed.GetValue(features) is { } featureList)
            {
                try { featureSwitches = TowerFeatureNames.Parse(featureList); }
                catch (ArgumentException e) { throw new UserFacingException($"--features: {e.Message}", e); }
            }
            config = config with
            {
                Seed = parsed.GetValue(seed),
                Dimension = parsed.GetValue(dim) ?? config.Dimension,
                Epochs = parsed.GetValue(epochs) ?? config.Epochs,
                BatchSize = parsed.GetValue(batch) ?? config.BatchSize,
                LearningRate = parsed.GetValue(lr) ?? config.LearningRate,
                WeightDecay = parsed.GetValue(weightDecay) ?? config.WeightDecay,
                Optimizer = parsed.GetValue(optimizer) is { } o ? (o == "adagrad" ? OptimizerKind.Adagrad : OptimizerKind.Adam) : config.Optimizer,
                Loss = parsed.GetValue(loss) switch { "per-user" => LossKind.PerUser, "auto" => LossKind.Auto, "full" => LossKind.Full, "in-batch" => LossKind.InBatch, _ => config.Loss },
                LogQCorrection = parsed.GetValue(logQ) ?? config.LogQCorrection,
                Normalize = parsed.GetValue(normalize) ?? config.Normalize,
                Temperature = parsed.GetValue(temperature) ?? config.Temperature,
                Features = featureSwitches ?? config.Features,
                ItemBias = parsed.GetValue(itemBias) ?? config.ItemBias,
                HistoryPooling = parsed.GetValue(pooling) switch { "mean" => HistoryPooling.Mean, "sqrt" => HistoryPooling.SquareRoot, _ => config.HistoryPooling },
                ShareHistoryTable = parsed.GetValue(shareHistory) ?? config.ShareHistoryTable,
                TargetShare = parsed.GetValue(targetShare) ?? config.TargetShare,
                Schedule = parsed.GetValue(schedule) switch { "constant" => LearningRateSchedule.Constant, "cosine" => LearningRateSchedule.Cosine, _ => config.Schedule },
                ValidationFraction = parsed.GetValue(validation) ?? config.ValidationFraction,
                Patience = parsed.GetValue(patience) ?? config.Patience,
                Threads = Math.Min(parsed.GetValue(threads) ?? config.Threads, Environment.ProcessorCount),
            };
            config = coldStart.Apply(parsed, config);
            if (parsed.GetValue(threads) is < 1) throw new UserFacingException($"--threads must be at least 1 (got {parsed.GetValue(threads)}).");
            try { config.Validate(); }
            catch (ArgumentException e) { throw new UserFacingException(e.Message, e); }
            var outRoot = parsed.GetValue(output);
            if (string.IsNullOrWhiteSpace(outRoot)) throw new UserFacingException("--out must name a folder.");

            var extra = parsed.GetValue(extraRatings);
            if (extra is not null && !File.Exists(extra))
                throw new UserFacingException($"--extra-ratings: {(Directory.Exists(extra) ? $"{extra} is a folder, not a ratings file" : $"{extra}: no such file")}; write one with 'recommender export-ratings --out FILE'.");
            var movies = parsed.GetValue(extraMovies);
            if (movies is not null && !File.Exists(movies))
                throw new UserFacingException($"--extra-movies: {(Directory.Exists(movies) ? $"{movies} is a folder, not a movies file" : $"{movies}: no such file")}; write one with 'recommender export-catalogue'.");
            // The default preset tunes what the user left open; the notebook preset reproduces the notebook as it is.
            IReadOnlySet<string>? tuning = null;
            if (config.Preset == "default" && !parsed.GetValue(noTune))
            {
                var fixedSettings = new HashSet<string>();
                if (parsed.GetValue(temperature) is not null) fixedSettings.Add(HyperparameterSearch.Temperature);
                if (parsed.GetValue(epochs) is not null) fixedSettings.Add(HyperparameterSearch.Epochs);
                if (parsed.GetValue(lr) is not null) fixedSettings.Add(HyperparameterSearch.LearningRate);
                if (parsed.GetValue(weightDecay) is not null) fixedSettings.Add(HyperparameterSearch.WeightDecay);
                tuning = fixedSettings;
            }
            var dir = DatasetLocator.Resolve(parsed.GetValue(data), console);
            var artifactDir = await RunAsync(dir, outRoot, config, console, ct, extra, parsed.GetValue(skipBadRows), movies, tuning, parsed.GetValue(tuneBudget));
            if (parsed.GetValue(publish))
                await PublishConsole.PublishAsync(artifactDir, console, PublishConsole.ReadLayout(parsed), ct);
            Console.Out.WriteLine(artifactDir);
            return 0;
        });
        return command;
    }

    /// <summary>Loads, trains, evaluates, prints and writes; returns the artifact folder.</summary>
    /// <param name="tuning">Null trains <paramref name="config"/> as it is; otherwise the settings to keep fixed while tuning the others.</param>
    public static async Task<string> RunAsync(string dataDir, string outRoot, TrainingConfig config, IAnsiConsole console, CancellationToken ct,
        string? extraRatings = null, bool skipBadRows = false, string? extraMovies = null, IReadOnlySet<string>? tuning = null, double tuneBudget = HyperparameterSearch.DefaultBudgetRuns)
    {
        var dataset = DatasetLoading.Load(dataDir, extraRatings, skipBadRows, console, extraMovies);
        console.MarkupLineInterpolated(
            $"Loaded [bold]{dataset.Name}[/] ({dataset.Layout}): {dataset.Ratings:N0} ratings, {dataset.PairCount:N0} unique pairs, {dataset.Users.Count:N0} users, {dataset.Items.Count:N0} movies.");
        if (dataset.PairCount < 2) throw new UserFacingException($"{dataDir}: {dataset.PairCount} interactions are too few to split and train.");

        using var run = await Task.Run(() => TrainingPipeline.Run(dataset, config.Seed, config, new ConsoleStages(console, config, dataset.Items.Count), ct,
            tuning, tuneBudget), ct);
        var folder = ArtifactWriter.Write(outRoot, TrainingPipeline.ToArtifact(run));
        console.MarkupLineInterpolated($"Wrote the artifact [bold]{folder}[/].");
        return folder;
    }

    /// <summary>The pipeline's steps on the console: the split, a progress bar per phase while training, the
    /// training's summary, a spinner while evaluating, then the evaluation table.</summary>
    private sealed class ConsoleStages(IAnsiConsole console, TrainingConfig config, int items) : TrainingStages
    {
        private readonly Stopwatch _evaluation = new();

        public override void Split(TrainTestSplit split)
        {
            console.MarkupLineInterpolated($"Split with seed [bold]{config.Seed}[/]: {split.TrainCount:N0} train, {split.TestCount:N0} test pairs.");
            var loss = config.EffectiveLoss(items);
            console.MarkupLineInterpolated(
                $"Training: preset {config.Preset}, dim {config.Dimension}, up to {config.Epochs} epochs, batch {config.BatchSize}, {config.Optimizer.ToString().ToLowerInvariant()} lr {F(config.LearningRate)}, loss {TrainingConfig.LossName(loss)}{(loss == LossKind.InBatch && config.LogQCorrection ? " (log-Q corrected)" : "")}, {(config.Normalize ? "normalised, " : "")}temperature {F(config.Temperature)}, features {TowerFeatureNames.Format(config.Features)}{(config.ItemBias ? " + item bias" : "")}{(loss == LossKind.PerUser && config.IdDropout + config.EffectiveUserIdDropout > 0 ? $", id dropout {F(config.IdDropout)} of movies and {F(config.EffectiveUserIdDropout)} of users" : "")}, validation {F(config.ValidationFraction)}, {config.Threads} threads.");
        }

        public override TuningResult Tune(Func<IProgress<TrainingProgress>?, TuningResult> tune)
        {
            console.MarkupLineInterpolated(
                $"Tuning temperature, epochs, learning rate and weight decay on {HyperparameterSearch.ValidationFraction:P0} of the training pairs (the test pairs stay unseen; --no-tune skips this) ...");
            return WithProgress(tune);
        }

        public override void Tuned(TuningResult tuning)
        {
            console.Write(TuningTableView.Render(tuning));
            console.MarkupLineInterpolated($"Tuned in {tuning.Seconds:F1} s ({tuning.EpochsSpent} of a budget of {tuning.BudgetEpochs} epochs); chose [bold]{TuningResult.Describe(tuning.Chosen)}[/].");
        }

        public override TrainedModel Train(Func<IProgress<TrainingProgress>?, TrainedModel> train) => WithProgress(train);

        // A progress bar per phase (each tuning trial, the validation run, the final run) while the work runs.
        private T WithProgress<T>(Func<IProgress<TrainingProgress>?, T> work)
        {
            T result = default!;
            console.Progress()
                .AutoClear(false)
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
                .Start(ctx =>
                {
                    var tasks = new Dictionary<string, ProgressTask>();
                    var progress = new SynchronousProgress<TrainingProgress>(p =>
                    {
                        if (!tasks.TryGetValue(p.Phase, out var task))
                        {
                            foreach (var earlier in tasks.Values) earlier.Value = earlier.MaxValue;
                            tasks[p.Phase] = task = ctx.AddTask(p.Phase, maxValue: 1.0);
                        }
                        task.Value = p.Fraction;
                        var validation = p.LastEpoch?.ValidationTop10 is { } top10
                            ? $" | validation top-10 {top10:F3} top-100 {p.LastEpoch.ValidationTop100:F3}" : "";
                        task.Description = Markup.Escape($"{p.Phase}: epoch {p.Epoch + 1}/{p.Epochs} batch {p.Batch}/{p.BatchesPerEpoch} loss {p.Loss:F4}{validation}");
                    });
                    result = work(progress);
                    foreach (var task in tasks.Values) task.Value = task.MaxValue;
                });
            return result;
        }

        public override void Trained(TrainedModel model)
        {
            if (model.ValidationCurve.Count > 0)
                console.MarkupLineInterpolated($"Early stopping on the validation split chose {model.Epochs} epochs (of {model.ValidationCurve.Count} run).");
            console.MarkupLineInterpolated($"Trained in {model.TrainingSeconds:F1} s; final-run loss per epoch: {string.Join(" ", model.EpochLosses.Select(l => l.ToString("F4", CultureInfo.InvariantCulture)))}.");
        }

        public override EvaluationTable Evaluate(Func<EvaluationTable> evaluate)
        {
            _evaluation.Restart();
            EvaluationTable evaluation = null!;
            console.Status().Start("Evaluating the model, popularity and EASE ...", _ => evaluation = evaluate());
            return evaluation;
        }

        public override void Evaluated(TrainingRun run)
        {
            console.Write(EvaluationTableView.Render(run.Evaluation, run.Model.TrainingSeconds, run.Ease.Lambda));
            var (best10, best100) = run.EaseOnTest.BestAtEachK;
            console.MarkupLineInterpolated(
                $"EASE's λ {F(run.Ease.Lambda)} was chosen on the validation pairs. For reference, its best over λ {string.Join(", ", run.EaseOnTest.Trials.Select(t => F(t.Lambda)))} on the test pairs themselves: top-10 {best10.Top10:F4} (λ {F(best10.Lambda)}), top-100 {best100.Top100:F4} (λ {F(best100.Lambda)}); the model is {Ratio(run.Evaluation.Model.SeenExcluded["10"], best10.Top10)} and {Ratio(run.Evaluation.Model.SeenExcluded["100"], best100.Top100)} of them.");
            console.MarkupLineInterpolated($"Evaluated in {_evaluation.Elapsed.TotalSeconds:F1} s.");
        }

        private static string Ratio(double value, double reference) => reference > 0 ? (value / reference).ToString("0.000x", CultureInfo.InvariantCulture) : "-";
    }

    private static string F(double value) => value.ToString(CultureInfo.InvariantCulture);
}
