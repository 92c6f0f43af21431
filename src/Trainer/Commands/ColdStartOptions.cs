using System.CommandLine;
using MovieRecommender.CommandLine;
using MovieRecommender.Trainer.Training;

namespace MovieRecommender.Trainer.Commands;

/// <summary><c>--id-dropout</c>, <c>--user-id-dropout</c> and <c>--new-user-scale</c> of train and the measuring commands (spread, cold-start): how the model serves what it never saw.</summary>
public sealed class ColdStartOptions
{
    public Option<double?> Share { get; } =
        new Option<double?>("--id-dropout") { Description = "With --loss per-user: the share of movies, and of users, whose id embedding is left out at each step, so that new ones embed well from features alone (0: never)." }.Number(min: 0, max: 0.95);

    public Option<double?> UserShare { get; } =
        new Option<double?>("--user-id-dropout") { Description = "The users' share when it should differ from --id-dropout's." }.Number(min: 0, max: 0.95);

    public Option<double?> NewUserScale { get; } =
        new Option<double?>("--new-user-scale") { Description = "A new user's demographic direction is scaled by this fraction of 1 / temperature (a trained user's by 1 / temperature), so that popularity weighs more." }.Number(min: 0.01, max: 4);

    /// <summary>The configuration with the values given (those not given left as they are).</summary>
    public TrainingConfig Apply(ParseResult parsed, TrainingConfig config)
    {
        var share = parsed.GetValue(Share);
        var userShare = parsed.GetValue(UserShare);
        return config with
        {
            IdDropout = share ?? config.IdDropout,
            // --id-dropout alone sets both shares.
            UserIdDropout = userShare ?? (share is not null ? null : config.UserIdDropout),
            NewUserScale = parsed.GetValue(NewUserScale) ?? config.NewUserScale,
        };
    }
}
