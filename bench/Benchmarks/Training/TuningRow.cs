using System.Text.Json.Nodes;

namespace MovieRecommender.Benchmarks.Training;

/// <summary>One dataset of the tuning table: the tuned and the untuned run, each as a multiple of EASE's best λ on the test pairs.</summary>
public sealed record TuningRow(DevelopmentDataset Dataset, int Ratings, int Users, int Movies, TrainerRun Tuned, TrainerRun Fixed)
{
    public double Tuned10 => Tuned.Model(10) / Tuned.BestEase(10).Value;
    public double Tuned100 => Tuned.Model(100) / Tuned.BestEase(100).Value;
    public double Fixed10 => Fixed.Model(10) / Fixed.BestEase(10).Value;
    public double Fixed100 => Fixed.Model(100) / Fixed.BestEase(100).Value;

    /// <summary>The tuned model as a multiple of EASE at its λ chosen on validation (the table's EASE row).</summary>
    public double TunedOverEase10 => Tuned.Model(10) / Tuned.Ease(10);
    public double TunedOverEase100 => Tuned.Model(100) / Tuned.Ease(100);

    /// <summary>EASE at its λ chosen on validation, as a multiple of its best on the test pairs.</summary>
    public double Ease10 => Tuned.Ease(10) / Tuned.BestEase(10).Value;
    public double Ease100 => Tuned.Ease(100) / Tuned.BestEase(100).Value;

    public double Goal => Dataset.Name == "ml-100k" ? TuningBenchmarkCommand.Ml100kGoal : TuningBenchmarkCommand.OtherGoal;
    public double? SecondsGoal => Dataset.Name switch
    {
        "ml-100k" => TuningBenchmarkCommand.Ml100kSeconds,
        "generated-10k" => TuningBenchmarkCommand.Generated10kSeconds,
        _ => null,
    };

    public bool Met => Tuned10 >= Goal && Tuned100 >= Goal && (SecondsGoal is not { } s || Tuned.WallSeconds <= s);

    public JsonObject ToJson() => new()
    {
        ["name"] = Dataset.Name,
        ["shape"] = Dataset.Shape,
        ["ratings"] = Ratings,
        ["users"] = Users,
        ["movies"] = Movies,
        ["bestLambdaEaseOnTest"] = new JsonObject
        {
            ["top10"] = R(Tuned.BestEase(10).Value), ["top10Lambda"] = Tuned.BestEase(10).Lambda,
            ["top100"] = R(Tuned.BestEase(100).Value), ["top100Lambda"] = Tuned.BestEase(100).Lambda,
        },
        ["easeChosenOnValidation"] = new JsonObject
        {
            ["lambda"] = Tuned.EaseLambda, ["top10"] = R(Tuned.Ease(10)), ["top100"] = R(Tuned.Ease(100)),
            ["tunedTimesItTop10"] = Math.Round(TunedOverEase10, 4), ["tunedTimesItTop100"] = Math.Round(TunedOverEase100, 4),
        },
        ["tuned"] = Run(Tuned, Tuned10, Tuned100),
        ["fixedDefault"] = Run(Fixed, Fixed10, Fixed100),
        ["goalTimesBestLambdaEase"] = Goal,
        ["goalSeconds"] = SecondsGoal,
        ["met"] = Met,
    };

    private static JsonObject Run(TrainerRun run, double ratio10, double ratio100) => new()
    {
        ["arguments"] = new JsonArray(run.Arguments.Select(a => (JsonNode?)a).ToArray()),
        ["wallSeconds"] = Math.Round(run.WallSeconds, 1),
        ["finalRunSeconds"] = Math.Round(run.Manifest.TrainingSeconds, 1),
        ["tuningInRuns"] = run.TuningRuns is { } runs ? Math.Round(runs, 2) : null,
        ["top10"] = R(run.Model(10)),
        ["top100"] = R(run.Model(100)),
        ["timesBestLambdaEaseTop10"] = Math.Round(ratio10, 4),
        ["timesBestLambdaEaseTop100"] = Math.Round(ratio100, 4),
        ["tuning"] = run.Tuning?.DeepClone(),
    };

    private static double R(double value) => Math.Round(value, 6);
}
