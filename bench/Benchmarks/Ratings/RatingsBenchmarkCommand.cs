using System.CommandLine;
using MovieRecommender.CommandLine;
using Spectre.Console;

namespace MovieRecommender.Benchmarks.Ratings;

/// <summary>
/// <c>ratings</c>: how many ratings a second one silo records through its HTTP door, and whether that rate holds as
/// the rating log grows (issue 24). A generated catalogue is published on one real silo process (file store, or
/// Redis); autocannon (npm, driven by ratings-driver.js) posts distinct ratings over keep-alive connections as a
/// closed loop until --ratings were acknowledged, reporting each window's rate and latency; then the console's
/// <c>export-ratings</c> runs as its own process, timed, its peak RSS read, and its rows counted. Only the HTTP route
/// and <c>export-ratings</c> are used, so the benchmark measures any rating log behind them.
/// </summary>
public static class RatingsBenchmarkCommand
{
    public static Command Create()
    {
        var store = new Option<string>("--store") { Description = "The silo's store: file (files under its store folder) or redis (a redis-server of its own, cluster mode).", DefaultValueFactory = _ => "file" }
            .OneOf("file", "redis");
        var ratings = new Option<int?>("--ratings") { Description = "Stop once this many ratings were posted and acknowledged, the warm-up's included (default: the issue's log size, 1000000 for file, 200000 for redis)." }
            .Integer(min: 1, max: 100_000_000);
        var warmup = new Option<int>("--warmup") { Description = "Ratings posted first and left out of the windows' rates (JIT, connections); they are in the log.", DefaultValueFactory = _ => 2_000 }.Integer(min: 0, max: 10_000_000);
        var connections = new Option<int>("--connections") { Description = "autocannon's keep-alive connections, each posting its next rating when answered.", DefaultValueFactory = _ => 32 }.Integer(min: 1, max: 4096);
        var users = new Option<int>("--users") { Description = "Users of the generated catalogue (default: MovieLens 100K's 943); ratings go to them in turn, so none gets more than ratings / users.", DefaultValueFactory = _ => 943 }.Integer(min: 1, max: 10_000_000);
        var movies = new Option<int>("--movies") { Description = "Movies of the generated catalogue (default: MovieLens 100K's 1,682; ratings name only these).", DefaultValueFactory = _ => 1682 }.Integer(min: 1, max: 10_000_000);
        var dim = new Option<int>("--dim") { Description = "Embedding dimension of the generated catalogue.", DefaultValueFactory = _ => 32 }.Integer(min: 1, max: 4096);
        var window = new Option<double>("--window") { Description = "Seconds of each reported window (rate, p50/p99).", DefaultValueFactory = _ => 10 }.Number(min: 1, max: 600);
        var maxMinutes = new Option<double>("--max-minutes") { Description = "Stop the load after this long even if --ratings were not all acknowledged (the report says so).", DefaultValueFactory = _ => 120 }.Number(min: 0.1, max: 24 * 60);
        var autocannonDir = new Option<string?>("--autocannon") { Description = "The folder autocannon was installed into with npm (default .run/tools/autocannon, where scripts/install-autocannon.sh puts it, run first when it is missing)." }.ExistingFolder();
        var output = new Option<string?>("--out") { Description = "Where generated artifacts, the silo's store and the export go (default: movierecommender-publish-bench under the temp folder, shared with the other benchmarks)." }.FolderToWrite();
        var json = new Option<string?>("--json") { Description = "JSON report (default bench/results/ratings-file.json or ratings-redis.json); the SVG of rate and p99 over time goes beside it." }.FileToWrite();
        var build = new Option<bool>("--build") { Description = "Build src/Silo and src/Client (Release) first." };
        var keepStore = new Option<bool>("--keep-store") { Description = "Keep the silo's store folder (and Redis' data) afterwards (deleted by default)." };

        var command = new Command("ratings", "Ratings a second one silo records over HTTP (autocannon) as the rating log grows, p99 per window, then export-ratings' time and peak RSS.")
        {
            store, ratings, warmup, connections, users, movies, dim, window, maxMinutes, autocannonDir, output, json, build, keepStore,
        };
        command.SetAction(async (parsed, ct) =>
        {
            var root = RepositoryRoot.TryFind() ?? throw new UserFacingException($"cannot find the repository ({RepositoryRoot.SolutionFile}); run from inside it.");
            var given = parsed.GetValue(autocannonDir);
            var autocannon = Path.GetFullPath(given ?? Path.Combine(root, ".run", "tools", "autocannon"));
            if (given is null) await InstallAutocannonAsync(root, autocannon, ct);
            if (!File.Exists(Path.Combine(autocannon, "node_modules", "autocannon", "package.json")))
                throw new UserFacingException($"autocannon is not installed under {autocannon}; run scripts/install-autocannon.sh (npm), or pass --autocannon DIR.");
            var kind = string.Equals(parsed.GetValue(store), "redis", StringComparison.OrdinalIgnoreCase) ? RatingsStoreKind.Redis : RatingsStoreKind.File;
            var total = parsed.GetValue(ratings) ?? RatingsTargets.For(kind).LogSize;
            var s = new RatingsSettings(
                Store: kind,
                Ratings: total,
                Warmup: Math.Min(parsed.GetValue(warmup), total / 2),
                Connections: parsed.GetValue(connections),
                Users: parsed.GetValue(users),
                Movies: parsed.GetValue(movies),
                Dim: parsed.GetValue(dim),
                WindowSeconds: parsed.GetValue(window),
                MaxMinutes: parsed.GetValue(maxMinutes),
                Autocannon: autocannon,
                OutRoot: Path.GetFullPath(parsed.GetValue(output) ?? Path.Combine(Path.GetTempPath(), "movierecommender-publish-bench")),
                Build: parsed.GetValue(build),
                KeepStore: parsed.GetValue(keepStore));
            // Every rating is a distinct (user, movie) pair (ratings-driver.js), so a log that keeps one per pair still holds them all.
            if ((long)s.Users * s.Movies < s.Ratings)
                throw new UserFacingException($"--users {s.Users} x --movies {s.Movies} gives {(long)s.Users * s.Movies} distinct (user, movie) pairs, fewer than --ratings {s.Ratings}: raise one of them.");
            if (s.Ratings - s.Warmup < s.Connections)
                throw new UserFacingException($"--ratings {s.Ratings} leaves {s.Ratings - s.Warmup} after the warm-up, fewer than --connections {s.Connections}: post more or use fewer connections.");
            var jsonPath = Path.GetFullPath(parsed.GetValue(json) ?? Path.Combine(root, "bench", "results", $"ratings-{kind.ToString().ToLowerInvariant()}.json"));
            if (Console.IsOutputRedirected) AnsiConsole.Profile.Width = 200;
            await new RatingsBenchmarkRunner(s, root, AnsiConsole.Console).RunAsync(jsonPath, ct);
            return 0;
        });
        return command;
    }

    /// <summary>scripts/install-autocannon.sh (Node.js and npm from apt-get, autocannon pinned from npm) when autocannon is not in its default folder.</summary>
    private static async Task InstallAutocannonAsync(string root, string folder, CancellationToken ct)
    {
        if (File.Exists(Path.Combine(folder, "node_modules", "autocannon", "package.json"))) return;
        ChildResult install = null!;
        await AnsiConsole.Status().StartAsync("Installing autocannon (scripts/install-autocannon.sh) ...",
            async _ => install = await ChildProcess.RunAsync("bash", [Path.Combine(root, "scripts", "install-autocannon.sh")], root, null, ct));
        if (install.ExitCode != 0) throw new UserFacingException($"scripts/install-autocannon.sh failed (exit {install.ExitCode}): {install.Tail()}");
    }
}
