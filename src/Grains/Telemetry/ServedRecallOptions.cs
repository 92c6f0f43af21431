using Microsoft.Extensions.Options;

namespace MovieRecommender.Grains.Telemetry;

/// <summary>Live served recall (configuration section <c>Telemetry:ServedRecall</c>).</summary>
public sealed class ServedRecallOptions
{
    public const string Section = "Telemetry:ServedRecall";

    /// <summary>The share of recommendations re-run exactly, 0 (off) to 1 (every one).</summary>
    public double Share { get; set; } = 0.01;

    /// <summary>Most checks running at once on a silo; a chosen check beyond it is skipped (and counted).</summary>
    public int MaxConcurrentChecks { get; set; } = 2;
}

/// <summary>Checks <see cref="ServedRecallOptions"/> when the silo starts; each fault names its key.</summary>
public sealed class ServedRecallOptionsValidator : IValidateOptions<ServedRecallOptions>
{
    public ValidateOptionsResult Validate(string? name, ServedRecallOptions o)
    {
        const string s = ServedRecallOptions.Section;
        if (o.Share is < 0 or > 1)
            return ValidateOptionsResult.Fail($"{s}:Share is {o.Share}: expected a share between 0 (off) and 1 (every recommendation).");
        if (o.MaxConcurrentChecks < 1)
            return ValidateOptionsResult.Fail($"{s}:MaxConcurrentChecks is {o.MaxConcurrentChecks}: expected at least 1.");
        return ValidateOptionsResult.Success;
    }
}
