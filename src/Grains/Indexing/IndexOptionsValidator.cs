using Microsoft.Extensions.Options;
using MovieRecommender.Index;

namespace MovieRecommender.Grains.Indexing;

/// <summary>
/// Checks the silo's section <c>Index</c> (<see cref="IndexOptions"/>, the index library's own record) when the silo
/// starts, so a value the index cannot take stops the silo rather than a shard's first build.
/// </summary>
public sealed class IndexOptionsValidator : IValidateOptions<IndexOptions>
{
    public const string Section = "Index";

    public ValidateOptionsResult Validate(string? name, IndexOptions o)
    {
        (string Key, double? Value, double Min)[] atLeast =
        [
            ("Rerank", o.Rerank, 1), ("IvfLists", o.IvfLists, 1), ("IvfProbe", o.IvfProbe, 1), ("BuildThreads", o.BuildThreads, 1),
            ("CalibrationQueries", o.CalibrationQueries, 1), ("CalibrationK", o.CalibrationK, 1), ("CalibrationNoise", o.CalibrationNoise, 0),
            ("KMeansIterations", o.KMeansIterations, 1), ("TrainingSample", o.TrainingSample, 1),
        ];
        foreach (var (key, value, min) in atLeast)
            if (value < min) return ValidateOptionsResult.Fail($"{Section}:{key} is {value}: expected at least {min}.");
        if (o.RecallTarget is <= 0 or > 1)
            return ValidateOptionsResult.Fail($"{Section}:RecallTarget is {o.RecallTarget}: expected a recall above 0 and at most 1, such as {IndexDefaults.RecallTarget}.");
        if (o.PqSubspaces is { } subspaces && (subspaces is < 2 or > 256 || subspaces % 2 != 0))
            return ValidateOptionsResult.Fail($"{Section}:PqSubspaces is {subspaces}: expected an even number from 2 to 256.");
        return ValidateOptionsResult.Success;
    }
}
