using MovieRecommender.CommandLine;
using Spectre.Console;

namespace MovieRecommender.Trainer.Data;

/// <summary>Finds the MovieLens folder to train on.</summary>
public static class DatasetLocator
{
    public const string EnvironmentVariable = "MOVIELENS_DIR";

    /// <summary>Where MovieLens 100K is downloaded to when no folder is given.</summary>
    public static readonly string DefaultDownloadFolder = Path.Combine("data", "ml-100k");

    /// <summary>
    /// The <c>--data</c> option, else the <c>MOVIELENS_DIR</c> environment variable, else <c>data/ml-100k</c>,
    /// downloaded from GroupLens first if it is not there yet.
    /// </summary>
    public static string Resolve(string? dataOption, IAnsiConsole console)
    {
        var dir = !string.IsNullOrWhiteSpace(dataOption) ? dataOption : Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (!string.IsNullOrWhiteSpace(dir))
        {
            if (!Directory.Exists(dir))
                throw new UserFacingException($"{dir}: no such folder. Pass a MovieLens folder, e.g. --data ../shared/data/ml-100k.");
            return dir;
        }
        if (!Directory.Exists(DefaultDownloadFolder))
            MovieLensDownloader.DownloadAsync(DefaultDownloadFolder, console, CancellationToken.None).GetAwaiter().GetResult();
        return DefaultDownloadFolder;
    }
}
