using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using MovieRecommender.Artifacts;
using MovieRecommender.Benchmarks.Publish;
using MovieRecommender.Benchmarks.Telemetry;
using MovieRecommender.CommandLine;
using Spectre.Console;

namespace MovieRecommender.Benchmarks.Http;

/// <summary>
/// <c>http</c>: the highest sustained recommendation rate of one silo through its two doors, in one run: over HTTP
/// with autocannon (npm; a load tool nobody here wrote, driven by autocannon-driver.js so every request asks for
/// another user) and through an Orleans client with the console's own <c>load --callers</c>. For each catalogue
/// (ML-100K, trained once or given; a generated one of --movies, 1M by default) one real silo process serves the
/// published version; both doors climb the same ladder of concurrency (autocannon's connections, the load
/// generator's callers), each asking again as soon as answered, their order flipped at every rung so the machine's
/// noise hits both alike. A run is sustained when nothing failed (transport errors, timeouts, non-2xx answers, the
/// load generator's failures) and p99 is under 50 ms; a missed rung is tried once more before it counts, and a door
/// stops climbing after a miss. A door's highest sustained rate is the most it answered in a sustained run. Both
/// doors are closed loops timed from when a request is sent: autocannon's rate mode (--overallRate) is not used
/// because it sends each connection's quota for a second back to back when the second starts, one burst a second.
/// </summary>
public static class HttpBenchmarkCommand
{
    public static Command Create()
    {
        var data = new Option<string?>("--data") { Description = "MovieLens 100K folder to train the ML-100K artifact on (default: MOVIELENS_DIR, else ../shared/data/ml-100k)." };
        var artifact = new Option<string?>("--artifact") { Description = "An ML-100K artifact to publish instead of training one." }.ExistingFolder();
        var movies = new Option<int>("--movies") { Description = "Movies of the generated catalogue measured after ML-100K; 0 skips it.", DefaultValueFactory = _ => 1_000_000 }.Integer(min: 0);
        var users = new Option<int>("--users") { Description = "Users of the generated catalogue (each saw 5 to 20 random movies); both doors ask for the same 1,000 of them, spread evenly.", DefaultValueFactory = _ => 10_000 }.Integer(min: 1, max: 10_000_000);
        var dim = new Option<int>("--dim") { Description = "Embedding dimension of the generated catalogue.", DefaultValueFactory = _ => 64 }.Integer(min: 1, max: 65536);
        var shards = new Option<int>("--shards") { Description = "Candidate and user shards of the generated catalogue (ML-100K: publish's default).", DefaultValueFactory = _ => 4 }.Integer(min: 1, max: 4096);
        var concurrency = new Option<int[]>("--concurrency") { Description = "The ladder both doors climb: autocannon connections and Orleans callers (several allowed: --concurrency 8 16 32).", DefaultValueFactory = _ => HttpBenchSettings.DefaultLadder, AllowMultipleArgumentsPerToken = true }
            .Integers(min: 1, max: 4096);
        var duration = new Option<double>("--duration") { Description = "Seconds of each run.", DefaultValueFactory = _ => 15 }.Number(min: 1, max: 3600);
        var autocannonDir = new Option<string?>("--autocannon") { Description = "The folder autocannon was installed into with npm (scripts/http-bench.sh installs it into .run/tools/autocannon)." }.ExistingFolder();
        var output = new Option<string?>("--out") { Description = "Where trained and generated artifacts and silo stores go (default: movierecommender-publish-bench under the temp folder, shared with the publish benchmark)." }.FolderToWrite();
        var json = new Option<string?>("--json") { Description = "JSON report of ML-100K (default bench/results/http-ml100k.json); the generated catalogue's goes beside it (http-1m.json)." }.FileToWrite();
        var build = new Option<bool>("--build") { Description = "Build src/Silo, src/Client and src/Trainer (Release) first." };

        var command = new Command("http", "Highest sustained rate at p99 < 50 ms of one silo over HTTP (autocannon) beside the Orleans client's load generator, on ML-100K and a generated catalogue.")
        {
            data, artifact, movies, users, dim, shards, concurrency, duration, autocannonDir, output, json, build,
        };
        command.SetAction(async (parsed, ct) =>
        {
            var root = RepositoryRoot.TryFind() ?? throw new UserFacingException($"cannot find the repository ({RepositoryRoot.SolutionFile}); run from inside it.");
            var autocannon = Path.GetFullPath(parsed.GetValue(autocannonDir) ?? Path.Combine(root, ".run", "tools", "autocannon"));
            if (!File.Exists(Path.Combine(autocannon, "node_modules", "autocannon", "package.json")))
                throw new UserFacingException($"autocannon is not installed under {autocannon}; run scripts/http-bench.sh, which installs it with npm, or pass --autocannon DIR.");
            var s = new HttpBenchSettings(
                Data: parsed.GetValue(data) ?? Environment.GetEnvironmentVariable("MOVIELENS_DIR") ?? Path.Combine(root, "..", "shared", "data", "ml-100k"),
                Artifact: parsed.GetValue(artifact), Movies: parsed.GetValue(movies), Users: parsed.GetValue(users), Dim: parsed.GetValue(dim), Shards: parsed.GetValue(shards),
                Concurrency: [.. parsed.GetValue(concurrency)!.Distinct().Order()],
                Duration: parsed.GetValue(duration), Autocannon: autocannon,
                OutRoot: Path.GetFullPath(parsed.GetValue(output) ?? Path.Combine(Path.GetTempPath(), "movierecommender-publish-bench")),
                Build: parsed.GetValue(build));
            var jsonPath = Path.GetFullPath(parsed.GetValue(json) ?? Path.Combine(root, "bench", "results", "http-ml100k.json"));
            if (Console.IsOutputRedirected) AnsiConsole.Profile.Width = 200;
            await new HttpBenchmarkRunner(s, AnsiConsole.Console).RunAsync(jsonPath, ct);
            return 0;
        });
        return command;
    }
}

/// <summary>What <c>http</c> was asked to do.</summary>
public sealed record HttpBenchSettings(string Data, string? Artifact, int Movies, int Users, int Dim, int Shards, int[] Concurrency,
    double Duration, string Autocannon, string OutRoot, bool Build)
{
    public const double P99BarMs = 50;
    public const double TargetRatio = 1.5;
    // autocannon builds each request once per user (autocannon-driver.js); both doors ask for the same users.
    public const int MaxUsersAsked = 1000;
    public static readonly int[] DefaultLadder = [4, 8, 16, 32, 64, 128, 256];
}
