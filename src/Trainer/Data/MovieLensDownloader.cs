using System.IO.Compression;
using System.Security.Cryptography;
using MovieRecommender.CommandLine;
using Spectre.Console;

namespace MovieRecommender.Trainer.Data;

/// <summary>
/// Downloads MovieLens 100K from GroupLens where the network allows (its licence forbids shipping it with the
/// code), verifies the files it extracts, and only then moves them into place.
/// </summary>
public static class MovieLensDownloader
{
    public static readonly Uri Source = new("https://files.grouplens.org/datasets/movielens/ml-100k.zip");

    /// <summary>SHA-256 of the files the loader reads, as GroupLens publishes them.</summary>
    public static readonly IReadOnlyDictionary<string, string> Checksums = new Dictionary<string, string>
    {
        ["u.data"] = "06416e597f82b7342361e41163890c81036900f418ad91315590814211dca490",
        ["u.item"] = "553841ebc7de3a0fd0d6b62a204ea30c1e651aacfb2814c7a6584ac52f2c5701",
        ["u.user"] = "f120e114da2e8cf314fd28f99417c94ae9ddf1cb6db8ce0e4b5995d40e90e62c",
    };

    /// <summary>Downloads into <paramref name="target"/> (which must not exist yet) or throws with what to do instead.</summary>
    public static async Task DownloadAsync(string target, IAnsiConsole console, CancellationToken ct)
    {
        var parent = Path.GetDirectoryName(Path.GetFullPath(target))!;
        Directory.CreateDirectory(parent);
        var staging = Path.Combine(parent, $".download-{Guid.NewGuid():N}");
        Directory.CreateDirectory(staging);
        try
        {
            var zip = Path.Combine(staging, "ml-100k.zip");
            console.MarkupLineInterpolated($"Downloading MovieLens 100K from {Source} ...");
            using (var http = new HttpClient { Timeout = TimeSpan.FromSeconds(60) })
            await using (var file = File.Create(zip))
            {
                await using var body = await http.GetStreamAsync(Source, ct);
                await body.CopyToAsync(file, ct);
            }
            ZipFile.ExtractToDirectory(zip, staging);
            var extracted = Path.Combine(staging, "ml-100k");
            foreach (var (name, expected) in Checksums)
            {
                var path = Path.Combine(extracted, name);
                if (!File.Exists(path)) throw new InvalidDataException($"the download lacks {name}.");
                await using var stream = File.OpenRead(path);
                var actual = Convert.ToHexStringLower(await SHA256.HashDataAsync(stream, ct));
                if (actual != expected) throw new InvalidDataException($"{name} has SHA-256 {actual}, expected {expected}.");
            }
            Directory.Move(extracted, target);
            console.MarkupLineInterpolated($"MovieLens 100K verified and saved in {target}.");
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or InvalidDataException or IOException && !ct.IsCancellationRequested)
        {
            throw new UserFacingException(
                $"Could not download MovieLens 100K from {Source} ({e.Message}). Pass the folder with --data DIR or set {DatasetLocator.EnvironmentVariable} (e.g. --data ../shared/data/ml-100k).", e);
        }
        finally
        {
            try { Directory.Delete(staging, recursive: true); } catch (IOException) { }
        }
    }
}
