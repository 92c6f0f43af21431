using System.CommandLine;
using MovieRecommender.Cluster;
using MovieRecommender.CommandLine;
using MovieRecommender.Grains;
using Spectre.Console;

namespace MovieRecommender.Client.Commands;

/// <summary><c>put-user USER --age --gender --occupation --zip</c>: a user's profile, from which a user the model does not know is embedded.</summary>
public static class ProfileCommand
{
    public static Command Create()
    {
        var user = new Argument<string>("user") { Description = "The user id, e.g. 5000." }.Matching(RecommendCommand.UserIdRule, RecommendCommand.IsUserId);
        var age = new Option<int?>("--age") { Description = "Age in years." }.Integer(1, 120);
        var gender = new Option<string?>("--gender") { Description = "M or F (MovieLens' values)." }.OneOf("M", "F");
        var occupation = new Option<string?>("--occupation") { Description = "Occupation as MovieLens 100K writes it, e.g. writer, student, engineer." }.Text(100);
        var zip = new Option<string?>("--zip") { Description = "Zip code, e.g. 94110." }.Text(20);
        var command = new Command("put-user", "Record a user's profile: a user the model does not know is then served from the query tower's embedding of it.")
            { user, age, gender, occupation, zip };
        command.SetAction(async (parsed, ct) =>
        {
            var demographics = new UserDemographics(parsed.GetValue(age), parsed.GetValue(gender), parsed.GetValue(occupation), parsed.GetValue(zip));
            if (demographics.Problem() is { } problem) throw new UsageException(problem);
            await using var cluster = await ClusterConnection.ConnectAsync(ct);
            await cluster.Client.GetGrain<IUserGrain>(parsed.GetValue(user)!).SetProfile(demographics);
            AnsiConsole.MarkupLineInterpolated($"Recorded the profile of user {parsed.GetValue(user)}.");
            return 0;
        });
        return command;
    }
}
