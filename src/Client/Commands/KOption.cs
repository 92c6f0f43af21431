using System.CommandLine;
using MovieRecommender.CommandLine;
using MovieRecommender.Grains;

namespace MovieRecommender.Client.Commands;

/// <summary>The <c>--k</c> option every command that asks for a top K shares: 10 by default, 1 to <see cref="IUserGrain.MaxK"/>.</summary>
public static class KOption
{
    public static Option<int> Create(string description) =>
        new Option<int>("--k", "-k") { Description = $"{description}.", DefaultValueFactory = _ => 10 }.Integer(min: 1, max: IUserGrain.MaxK);
}
