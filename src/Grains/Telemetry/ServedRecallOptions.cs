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
