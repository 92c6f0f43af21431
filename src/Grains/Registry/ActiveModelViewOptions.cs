using Microsoft.Extensions.Options;

namespace MovieRecommender.Grains.Registry;

/// <summary>
/// How each silo keeps its view of the active model (<see cref="ActiveModelView"/>) fresh; configuration section
/// <c>Serving:Registry</c>.
/// </summary>
public sealed class ActiveModelViewOptions
{
    public const string Section = "Serving:Registry";

    /// <summary>
    /// How often a silo rereads the registry, whatever it was told: the most a silo that missed a notification
    /// (it was unreachable, or joined mid-publish) serves a version that is no longer active.
    /// </summary>
    public TimeSpan RefreshPeriod { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How long an activation or rollback waits for each silo to take the news: a dead silo that membership
    /// still lists holds a publish up this long at most.
    /// </summary>
    public TimeSpan NotificationTimeout { get; set; } = TimeSpan.FromSeconds(2);
}

/// <summary>Checks <see cref="ActiveModelViewOptions"/> when the silo starts; each fault names its key.</summary>
public sealed class ActiveModelViewOptionsValidator : IValidateOptions<ActiveModelViewOptions>
{
    public ValidateOptionsResult Validate(string? name, ActiveModelViewOptions o)
    {
        const string s = ActiveModelViewOptions.Section;
        if (o.RefreshPeriod <= TimeSpan.Zero)
            return ValidateOptionsResult.Fail($"{s}:RefreshPeriod is {o.RefreshPeriod}: expected a positive duration such as 00:00:05.");
        if (o.NotificationTimeout <= TimeSpan.Zero)
            return ValidateOptionsResult.Fail($"{s}:NotificationTimeout is {o.NotificationTimeout}: expected a positive duration such as 00:00:02.");
        return ValidateOptionsResult.Success;
    }
}
