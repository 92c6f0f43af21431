using System.CommandLine;
using MovieRecommender.Cluster;
using MovieRecommender.CommandLine;
using MovieRecommender.Grains;
using Spectre.Console;

namespace MovieRecommender.Client.Commands;

/// <summary><c>erase-user USER</c>: the right to erasure: everything the cluster keeps of the user, gone (<see cref="IUserGrain.Erase"/>).</summary>
public static class EraseCommand
{
    public static Command Create()
    {
        var user = new Argument<string>("user") { Description = "The user id, e.g. 42." }.Matching(RecommendCommand.UserIdRule, RecommendCommand.IsUserId);
        var command = new Command("erase-user", "Erase everything the cluster keeps of a user: their ratings and profile, and their row of every kept version; recorded (who and when) without the data.")
            { user };
        command.SetAction(async (parsed, ct) =>
        {
            var id = parsed.GetValue(user)!;
            await using var cluster = await ClusterConnection.ConnectAsync(ct);
            if (!await cluster.Client.GetGrain<IUserGrain>(id).Erase())
                throw new UserFacingException($"user {id}: the cluster keeps nothing of this user (no rating, no profile, no row in a kept version); nothing was erased.");
            AnsiConsole.MarkupLineInterpolated($"Erased user {id}: their ratings, profile and rows are gone; the erasure is recorded.");
            return 0;
        });
        return command;
    }
}
