using System.CommandLine;
using MovieRecommender.CommandLine;

namespace MovieRecommender.Trainer.Commands;

/// <summary><c>--id-dropout</c> of the measuring commands (spread, cold-start): measure another share than the default's.</summary>
public static class IdDropoutOption
{
    public static Option<double?> Create() =>
        new Option<double?>("--id-dropout") { Description = "The share of users and movies whose id embedding is left out at each training step (default: the default configuration's)." }.Number(min: 0, max: 0.95);
}
