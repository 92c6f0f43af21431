using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Configuration;

namespace MovieRecommender.AppHost;

/// <summary>
/// The section <c>LocalCluster</c> (appsettings.json; any of it overridden as usual, e.g.
/// <c>--LocalCluster:RedisPort=6390</c> or env <c>LocalCluster__Silos__0__HttpPort</c>): Redis' port, one entry of
/// ports per silo, and what the trainer trains on and where it writes the artifact. Ports are fixed, not chosen by
/// Aspire, because Orleans advertises the port it listens on: a proxied endpoint would be a port nobody dials.
/// </summary>
public sealed class LocalClusterOptions
{
    public const string Section = "LocalCluster";

    public int RedisPort { get; init; } = 6380;

    public List<SiloPorts> Silos { get; init; } = [];

    /// <summary>MovieLens' folder; empty: <c>$MOVIELENS_DIR</c>, else the repository's <c>data/ml-100k</c> (where ./run.sh downloads it).
    /// A relative path is taken from the repository's root: <c>dotnet run</c> runs the AppHost in its project folder.</summary>
    public string? MovieLens { get; init; }

    /// <summary>Where the trainer writes the artifact (relative: from the repository's root); empty: the repository's <c>models</c>, as ./run.sh.</summary>
    public string? Models { get; init; }

    /// <summary>More arguments for <c>train</c>, separated by spaces, e.g. <c>--no-tune --epochs 5</c> for a quick model.</summary>
    public string? TrainArguments { get; init; }

    public static LocalClusterOptions From(IConfiguration configuration)
    {
        var options = configuration.GetSection(Section).Get<LocalClusterOptions>() ?? new LocalClusterOptions();
        if (options.Silos.Count == 0) throw new SetupException($"{Section}:Silos lists no silo; see deploy/AppHost/appsettings.json.");
        var ports = new[] { options.RedisPort }.Concat(options.Silos.SelectMany(s => new[] { s.SiloPort, s.GatewayPort, s.HttpPort })).ToList();
        if (ports.Any(p => p is < 1 or > 65535)) throw new SetupException($"{Section}: every port must be 1 to 65535, got {string.Join(", ", ports)}.");
        if (ports.Distinct().Count() != ports.Count) throw new SetupException($"{Section}: every port must differ, got {string.Join(", ", ports)}.");
        // A taken port would show only as a resource that exits (Redis) or waits forever (the silos): say it first.
        var taken = ports.Where(p => !CanListen(p)).ToList();
        if (taken.Count > 0)
            throw new SetupException($"port(s) {string.Join(", ", taken)} of {Section} are taken on 127.0.0.1 (is this AppHost already running?); "
                + "stop what holds them or choose others, e.g. --LocalCluster:RedisPort=6390 (docs/cluster.md#aspire-apphost).");
        return options;
    }

    private static bool CanListen(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    /// <summary>The MovieLens folder to pass as <c>--data</c>; null when none is there (the trainer then downloads it).</summary>
    public string? MovieLensFolder(string repositoryRoot)
    {
        var given = !string.IsNullOrWhiteSpace(MovieLens) ? MovieLens : Environment.GetEnvironmentVariable("MOVIELENS_DIR");
        if (!string.IsNullOrWhiteSpace(given)) return Path.GetFullPath(given, repositoryRoot);
        var downloaded = Path.Combine(repositoryRoot, "data", "ml-100k");
        return Directory.Exists(downloaded) ? downloaded : null;
    }

    public string ModelsFolder(string repositoryRoot) =>
        !string.IsNullOrWhiteSpace(Models) ? Path.GetFullPath(Models, repositoryRoot) : Path.Combine(repositoryRoot, "models");

    public string[] ExtraTrainArguments() => (TrainArguments ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries);
}
