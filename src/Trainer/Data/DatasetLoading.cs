using MovieRecommender.CommandLine;
using Spectre.Console;

namespace MovieRecommender.Trainer.Data;

/// <summary>Loading MovieLens for a command (train, evaluate, ablation): a bad file or row becomes one line naming the
/// file, line and fault (<see cref="UserFacingException"/>, exit 1); what was skipped or merged is printed.</summary>
public static class DatasetLoading
{
    public static InteractionDataset Load(string dir, string? extraRatings, bool skipBadRows, IAnsiConsole console, string? extraMovies = null)
    {
        try
        {
            return MovieLensLoader.Load(dir, extraRatings, skipBadRows, line => console.MarkupLine($"[yellow]{Markup.Escape(line)}[/]"), extraMovies);
        }
        catch (Exception e) when (e is InvalidDataException or FileNotFoundException or DirectoryNotFoundException)
        {
            throw new UserFacingException(e.Message, e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UserFacingException($"{dir}: cannot read the data ({e.Message}).", e);
        }
    }
}
