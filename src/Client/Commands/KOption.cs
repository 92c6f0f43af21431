using System.CommandLine;
using MovieRecommender.Grains;

namespace MovieRecommender.Client.Commands;

/// <summary>The <c>--k</c> option every command that asks for a top K shares: 10 by default, 1 to <see cref="IUserGrain.MaxK"/>.</summary>
public static class KOption
{
    public static Option<int> Create(string description)
    {
        var k = new Option<int>("--k", "-k") { Description = $"{description} (1 to {IUserGrain.MaxK}).", DefaultValueFactory = _ => 10 };
        k.Validators.Add(result =>
        {
            var value = result.GetValueOrDefault<int>();
            if (value < 1 || value > IUserGrain.MaxK) result.AddError($"--k must be between 1 and {IUserGrain.MaxK}, got {value}.");
        });
        return k;
    }
}
