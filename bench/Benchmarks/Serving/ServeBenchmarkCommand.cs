using System.CommandLine;
using System.Globalization;
using MovieRecommender.Benchmarks.Publish;
using MovieRecommender.CommandLine;
using MovieRecommender.Index;
using MovieRecommender.Operations.Publishing;
using Spectre.Console;

namespace MovieRecommender.Benchmarks.Serving;

/// <summary>
/// <c>serve</c>: the highest sustained recommendation rate of one silo on a generated catalogue, per index setting,
/// with the served recall@10 of a sample of the answers, and what Orleans adds to the search's CPU. See
/// <see cref="ServeBenchmark"/> for what it does; this is its command line.
/// </summary>
public static class ServeBenchmarkCommand
{
    public static Command Create()
    {
        var (movies, users, dim) = CatalogueOptions("Generated movies.");
        var data = new Option<string>("--data") { Description = "Generated embeddings: clustered (movies and users from shared clusters, as trained ones are) or gaussian (no structure).", DefaultValueFactory = _ => "clustered" }
            .OneOf("clustered", "gaussian");
        var seed = new Option<int>("--seed") { Description = "Seed of the generated data, the users asked and the recall sample.", DefaultValueFactory = _ => 42 };
        var index = new Option<string[]>("--index")
        {
            Description = "Index settings to serve, one silo each (repeat the option or list them after it).",
            DefaultValueFactory = _ => ["int8", "auto"],
            AllowMultipleArgumentsPerToken = true,
        }.Satisfying($"index specs: {IndexSpec.Syntax}; e.g. int8", text => IndexSpec.TryParse(text, out _, out var error) ? null : error);
        var shards = new Option<int?>("--shards") { Description = "Candidate shards the movies are split over (default: as publish chooses them for one silo)." }.Integer(min: 1, max: PublishOptions.MaxShards);
        var userShards = new Option<int?>("--user-shards") { Description = "User shards (default: as publish chooses them for one silo)." }.Integer(min: 1, max: PublishOptions.MaxShards);
        var userPool = new Option<int>("--user-pool") { Description = "Users the load draws from, a seeded subset whose grains stay active (0: every user, most requests activating a user grain).", DefaultValueFactory = _ => 0 }.Integer(min: 0, max: 100_000_000);
        var zipf = new Option<double?>("--zipf") { Description = "Draw users by Zipf's law with this exponent S over every user (the i-th most active asks with weight 1/i^S), e.g. 1.0; default: uniform." }.Number(min: 0, max: 10, above: true);
        var filterShare = new Option<double?>("--filter-share") { Description = "Every request filters by a genre and year range keeping about this share of the movies, e.g. 0.01." }.Number(min: 0, max: 1, above: true);
        var rates = new Option<string?>("--rates") { Description = "The rates to try, instead of the generated ladder." }.Matching(RateLadder.ListRule, text => RateLadder.TryParseList(text, out _) is { Length: > 0 });
        var startRps = new Option<double>("--start-rps") { Description = "First rate of the generated ladder (req/s).", DefaultValueFactory = _ => 100 }.Number(min: 0, max: 10_000_000, above: true);
        var factor = new Option<double>("--factor") { Description = "Each rate of the ladder is the previous times this.", DefaultValueFactory = _ => 2 }.Number(min: 1, max: 100, above: true);
        var maxRps = new Option<double>("--max-rps") { Description = "Last rate of the ladder at most (req/s).", DefaultValueFactory = _ => 100_000 }.Number(min: 0, max: 10_000_000, above: true);
        var refine = new Option<int>("--refine") { Description = "Bisection steps between the last sustained rate and the first missed.", DefaultValueFactory = _ => 2 }.Integer(min: 0, max: 20);
        var duration = new Option<double>("--duration") { Description = "Seconds of load per rate.", DefaultValueFactory = _ => 10 }.Number(min: 0, max: 3600, above: true);
        var warmup = new Option<double>("--warmup-seconds") { Description = "Load at the first rate before the ramp, not reported as a row (JIT, connections).", DefaultValueFactory = _ => 3 }.Number(min: 0, max: 3600);
        var p99 = new Option<double>("--p99-ms") { Description = "A rate is sustained only with p99 under this (ms).", DefaultValueFactory = _ => 50 }.Number(min: 0, max: 1_000_000, above: true);
        var minAchieved = new Option<double>("--min-achieved") { Description = "A rate is sustained only when the achieved rate is at least this share of it.", DefaultValueFactory = _ => 0.98 }.Number(min: 0, max: 1, above: true);
        var concurrency = new Option<int>("--concurrency") { Description = "Most requests in flight.", DefaultValueFactory = _ => 256 }.Integer(min: 1, max: 100_000);
        var timeout = new Option<int>("--timeout-ms") { Description = "Deadline of one request (one attempt, no retry): a later answer is a failure.", DefaultValueFactory = _ => 10_000 }.Integer(min: 1, max: 600_000);
        var recallSample = new Option<int>("--recall-sample") { Description = "Users whose answers are checked against brute force (spread over every rate's requests).", DefaultValueFactory = _ => 200 }.Integer(min: 1, max: 100_000);
        var inProcessQueries = new Option<int>("--in-process-queries") { Description = "Recommendations computed in process, one at a time, per index setting (0: skip that phase).", DefaultValueFactory = _ => 2000 }.Integer(min: 0, max: 10_000_000);
        var siloMemory = new Option<double>("--silo-memory-gb") { Description = "Memory a silo may give to movies, for the capacity table's silo count (GB).", DefaultValueFactory = _ => 16 }.Number(min: 0, max: 1_000_000, above: true);
        var output = new Option<string?>("--out") { Description = "Where generated artifacts and silo stores go (default: movierecommender-publish-bench under the temp folder, shared with the publish benchmark)." }.FolderToWrite();
        var regenerate = new Option<bool>("--regenerate") { Description = "Write the generated artifact again even when one of the same parameters exists." };
        var name = new Option<string?>("--name") { Description = "Result name: bench/results/serve-NAME.json (default from --movies and --dim, e.g. 1m-d64)." }
            .Matching("letters, digits, '.', '-' or '_', e.g. 1m-d64", text => text.Length <= 100 && text.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_'));
        var json = new Option<string?>("--json") { Description = "JSON output (default bench/results/serve-NAME.json)." }.FileToWrite();
        var plot = new Option<string?>("--plot") { Description = "SVG of rate against p99 per index setting (default: the JSON's path with .svg)." }.FileToWrite();
        var capacity = new Option<string?>("--capacity") { Description = "Markdown capacity table (default bench/results/capacity.md)." }.FileToWrite();
        var readme = new Option<string?>("--readme") { Description = "Also put the capacity table between the '<!-- capacity:begin -->' and '<!-- capacity:end -->' markers of this file (e.g. README.md)." }.ExistingFile();
        var noBuild = new Option<bool>("--no-build") { Description = "Use the silo already built (this program's configuration) instead of building it first." };
        var keepStore = new Option<bool>("--keep-store") { Description = "Keep the silos' model store folders afterwards (deleted by default)." };

        var command = new Command("serve", "Highest sustained recommendation rate of one silo per index setting on a generated catalogue, with served recall@10 and Orleans' CPU against the same search in process.")
        {
            movies, users, dim, data, seed, index, shards, userShards, userPool, zipf, filterShare, rates, startRps, factor, maxRps, refine, duration, warmup, p99, minAchieved,
            concurrency, timeout, recallSample, inProcessQueries, siloMemory, output, regenerate, name, json, plot, capacity, readme, noBuild, keepStore,
        };
        command.SetAction(async (parsed, ct) =>
        {
            var specs = (parsed.GetValue(index) is { Length: > 0 } given ? given : ["int8", "auto"]).Select(IndexSpec.Parse).DistinctBy(s => s.ToString()).ToArray();
            if (parsed.GetValue(zipf) is not null && parsed.GetValue(userPool) > 0)
                throw new UsageException("--zipf draws from every user; leave out --user-pool, or --zipf.");
            var s = new ServeSettings(
                Movies: parsed.GetValue(movies),
                Users: parsed.GetValue(users),
                Dim: parsed.GetValue(dim),
                Data: parsed.GetValue(data) == "gaussian" ? SyntheticData.Gaussian : SyntheticData.Clustered,
                Seed: parsed.GetValue(seed),
                Indexes: specs,
                Shards: parsed.GetValue(shards) ?? ShardLayout.CandidateShards(parsed.GetValue(movies), parsed.GetValue(dim), silos: 1),
                UserShards: parsed.GetValue(userShards) ?? ShardLayout.UserShards(parsed.GetValue(users), silos: 1),
                ShardsGiven: parsed.GetValue(shards) is not null,
                UserPool: parsed.GetValue(userPool),
                Zipf: parsed.GetValue(zipf),
                FilterShare: parsed.GetValue(filterShare),
                Rates: RateLadder.Rungs(parsed.GetValue(rates), parsed.GetValue(startRps), parsed.GetValue(factor), parsed.GetValue(maxRps)),
                Refine: parsed.GetValue(refine),
                WarmupSeconds: parsed.GetValue(warmup),
                Rules: new StepRules(parsed.GetValue(duration), parsed.GetValue(concurrency), parsed.GetValue(p99), parsed.GetValue(minAchieved), parsed.GetValue(timeout)),
                RecallSample: parsed.GetValue(recallSample),
                InProcessQueries: parsed.GetValue(inProcessQueries),
                SiloMemoryGb: parsed.GetValue(siloMemory),
                OutRoot: Path.GetFullPath(parsed.GetValue(output) ?? Path.Combine(Path.GetTempPath(), "movierecommender-publish-bench")),
                Regenerate: parsed.GetValue(regenerate),
                Build: !parsed.GetValue(noBuild),
                KeepStore: parsed.GetValue(keepStore));
            var root = CheckCatalogue(s.Movies, s.Users, s.Dim, s.Shards);
            var resultName = parsed.GetValue(name) ?? $"{Short(s.Movies)}-d{s.Dim}";
            var jsonPath = Path.GetFullPath(parsed.GetValue(json) ?? Path.Combine(root, "bench", "results", $"serve-{resultName}.json"));
            var plotPath = Path.GetFullPath(parsed.GetValue(plot) ?? Path.ChangeExtension(jsonPath, ".svg"));
            var capacityPath = Path.GetFullPath(parsed.GetValue(capacity) ?? Path.Combine(root, "bench", "results", "capacity.md"));

            if (Console.IsOutputRedirected) AnsiConsole.Profile.Width = 200;
            var outcome = await ServeBenchmark.RunAsync(s, root, resultName, AnsiConsole.Console, ct);
            await BenchmarkReport.WriteAsync(jsonPath, outcome.Report, ct);
            if (outcome.Rows.Count > 0)
            {
                await File.WriteAllTextAsync(plotPath, RateLatencyPlot.ToSvg(outcome.Rows, s.Rules.P99BarMs), ct);
                AnsiConsole.MarkupLineInterpolated($"Wrote [bold]{plotPath}[/].");
            }
            Directory.CreateDirectory(Path.GetDirectoryName(capacityPath)!);
            await File.WriteAllTextAsync(capacityPath, "# Serving capacity\n\nWritten by `benchmarks serve` (" + ReportPaths.Relative(jsonPath, root) + "); do not edit by hand.\n\n" + outcome.Capacity, ct);
            AnsiConsole.MarkupLineInterpolated($"Wrote [bold]{capacityPath}[/].");
            if (parsed.GetValue(readme) is { } readmePath)
            {
                var text = await File.ReadAllTextAsync(readmePath, ct);
                await File.WriteAllTextAsync(readmePath, CapacityTable.ReplaceMarkedSection(text, "capacity", outcome.Capacity, readmePath), ct);
                AnsiConsole.MarkupLineInterpolated($"Updated the capacity section of [bold]{readmePath}[/].");
            }
            return 0;
        });
        return command;
    }

    /// <summary>The generated catalogue's size: --movies, --users, --dim (1M x 1M x 64 by default).</summary>
    public static (Option<int> Movies, Option<int> Users, Option<int> Dim) CatalogueOptions(string moviesDescription) => (
        new Option<int>("--movies") { Description = moviesDescription, DefaultValueFactory = _ => 1_000_000 }.Integer(min: 1),
        new Option<int>("--users") { Description = "Generated users (each saw 5 to 20 random movies).", DefaultValueFactory = _ => 1_000_000 }.Integer(min: 1),
        new Option<int>("--dim") { Description = "Embedding dimension.", DefaultValueFactory = _ => 64 }.Integer(min: 1, max: 65536));

    /// <summary>Checks the generated catalogue fits and every shard gets a movie; returns the repository's root, where reports go.</summary>
    public static string CheckCatalogue(int movies, int users, int dim, int shards)
    {
        if ((long)Math.Max(movies, users) * dim > Array.MaxLength)
            throw new UserFacingException($"{Math.Max(movies, users):N0} x {dim} floats do not fit one .NET array; lower --movies/--users or --dim.");
        if (shards > movies) throw new UserFacingException($"--shards {shards} is more than --movies {movies}: every shard needs a movie.");
        return RepositoryRoot.TryFind()
            ?? throw new UserFacingException($"cannot find the repository ({RepositoryRoot.SolutionFile}) above {Directory.GetCurrentDirectory()}; run from inside it.");
    }

    public static string Short(int n) =>
        n % 1_000_000 == 0 ? $"{n / 1_000_000}m" : n % 1000 == 0 ? $"{n / 1000}k" : n.ToString(CultureInfo.InvariantCulture);
}
