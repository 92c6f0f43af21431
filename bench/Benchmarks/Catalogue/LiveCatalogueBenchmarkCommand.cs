using System.CommandLine;
using MovieRecommender.Benchmarks.Serving;
using MovieRecommender.CommandLine;
using MovieRecommender.Index;
using Spectre.Console;

namespace MovieRecommender.Benchmarks.Catalogue;

/// <summary>
/// <c>live-catalogue</c>: recommendations while movies are put live, served recall with the put movies in the truth,
/// and how fast a takedown leaves every answer. See <see cref="LiveCatalogueBenchmark"/>; this is its command line.
/// </summary>
public static class LiveCatalogueBenchmarkCommand
{
    public static Command Create()
    {
        var (movies, users, dim) = ServeBenchmarkCommand.CatalogueOptions("Generated movies (with genres, years, titles and feature towers).");
        var seed = new Option<int>("--seed") { Description = "Seed of the generated data, the users asked, the movies put and the samples.", DefaultValueFactory = _ => 42 };
        var index = new Option<string>("--index") { Description = "Index setting to publish with.", DefaultValueFactory = _ => "auto" }
            .Matching($"an index spec: {IndexSpec.Syntax}; e.g. auto", text => IndexSpec.TryParse(text, out _, out _));
        var shards = new Option<int>("--shards") { Description = "Candidate shards the movies are split over.", DefaultValueFactory = _ => 16 }.Integer(min: 1, max: 4096);
        var userShards = new Option<int>("--user-shards") { Description = "User shards.", DefaultValueFactory = _ => 16 }.Integer(min: 1, max: 4096);
        var userPool = new Option<int>("--user-pool") { Description = "Users the recommendation load draws from, a seeded subset whose grains stay active (0: every user).", DefaultValueFactory = _ => 10_000 }.Integer(min: 0, max: 100_000_000);
        var rps = new Option<double>("--rps") { Description = "Recommendations a second, in every phase.", DefaultValueFactory = _ => 1000 }.Number(min: 0, max: 10_000_000, above: true);
        var warmup = new Option<double>("--warmup-seconds") { Description = "Load before the baseline, reported but not measured against (JIT, connections, user grains).", DefaultValueFactory = _ => 10 }.Number(min: 0, max: 3600);
        var baseline = new Option<double>("--baseline-seconds") { Description = "Seconds of the load without puts.", DefaultValueFactory = _ => 20 }.Number(min: 0, max: 3600, above: true);
        var puts = new Option<int>("--puts") { Description = "Movies put (new ids above the catalogue's).", DefaultValueFactory = _ => 100_000 }.Integer(min: 1, max: 100_000_000);
        var putRps = new Option<double>("--put-rps") { Description = "Puts a second (open loop).", DefaultValueFactory = _ => 1000 }.Number(min: 0, max: 1_000_000, above: true);
        var putConcurrency = new Option<int>("--put-concurrency") { Description = "Most puts in flight.", DefaultValueFactory = _ => 256 }.Integer(min: 1, max: 100_000);
        var concurrency = new Option<int>("--concurrency") { Description = "Most recommendations in flight.", DefaultValueFactory = _ => 256 }.Integer(min: 1, max: 100_000);
        var timeout = new Option<int>("--timeout-ms") { Description = "Deadline of one recommendation or put (one attempt): a later answer is a failure.", DefaultValueFactory = _ => 10_000 }.Integer(min: 1, max: 600_000);
        var recallSample = new Option<int>("--recall-sample") { Description = "Users whose answers at the end are checked against brute force.", DefaultValueFactory = _ => 500 }.Integer(min: 1, max: 100_000);
        var takedowns = new Option<int>("--takedowns") { Description = "Movies taken down (each in a sampled user's answer), at most one per sampled user.", DefaultValueFactory = _ => 200 }.Integer(min: 0, max: 100_000);
        var takedownRps = new Option<double>("--takedown-rps") { Description = "Takedowns started a second.", DefaultValueFactory = _ => 20 }.Number(min: 0, max: 10_000, above: true);
        var patience = new Option<double>("--takedown-patience-seconds") { Description = "How long a takedown's user is asked again before it counts as never reached.", DefaultValueFactory = _ => 10 }.Number(min: 0, max: 3600, above: true);
        var p99 = new Option<double>("--p99-ms") { Description = "Goal: recommend's p99 during the puts under this (ms).", DefaultValueFactory = _ => 50 }.Number(min: 0, max: 1_000_000, above: true);
        var ratio = new Option<double>("--max-ratio") { Description = "Goal: p99 during the puts at most this times the p99 without.", DefaultValueFactory = _ => 1.3 }.Number(min: 0, max: 1000, above: true);
        var minRecall = new Option<double>("--min-recall") { Description = "Goal: served recall@10 at the end at least this.", DefaultValueFactory = _ => 0.95 }.Number(min: 0, max: 1);
        var takedownP99 = new Option<double>("--takedown-p99-ms") { Description = "Goal: a takedown reaches every answer within this at the 99th percentile (ms).", DefaultValueFactory = _ => 1000 }.Number(min: 0, max: 1_000_000, above: true);
        var output = new Option<string?>("--out") { Description = "Where generated artifacts and the silo's store go (default: movierecommender-publish-bench under the temp folder, shared with the other benchmarks)." }.FolderToWrite();
        var regenerate = new Option<bool>("--regenerate") { Description = "Write the generated artifact again even when one of the same parameters exists." };
        var name = new Option<string?>("--name") { Description = "Result name: bench/results/live-catalogue-NAME.json (default from --movies and --dim, e.g. 1m-d64)." }
            .Matching("letters, digits, '.', '-' or '_', e.g. 1m-d64", text => text.Length <= 100 && text.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_'));
        var json = new Option<string?>("--json") { Description = "JSON output (default bench/results/live-catalogue-NAME.json)." }.FileToWrite();
        var noBuild = new Option<bool>("--no-build") { Description = "Use the silo already built (this program's configuration) instead of building it first." };
        var keepStore = new Option<bool>("--keep-store") { Description = "Keep the silo's store folder afterwards (deleted by default)." };

        var command = new Command("live-catalogue", "Recommendations of one silo while movies are put live, served recall@10 with the put movies in the truth, and how fast a takedown leaves every answer.")
        {
            movies, users, dim, seed, index, shards, userShards, userPool, rps, warmup, baseline, puts, putRps, putConcurrency, concurrency, timeout,
            recallSample, takedowns, takedownRps, patience, p99, ratio, minRecall, takedownP99, output, regenerate, name, json, noBuild, keepStore,
        };
        command.SetAction(async (parsed, ct) =>
        {
            var s = new LiveCatalogueSettings(
                Movies: parsed.GetValue(movies),
                Users: parsed.GetValue(users),
                Dim: parsed.GetValue(dim),
                Seed: parsed.GetValue(seed),
                Index: IndexSpec.Parse(parsed.GetValue(index) ?? "auto"),
                Shards: parsed.GetValue(shards),
                UserShards: parsed.GetValue(userShards),
                UserPool: parsed.GetValue(userPool),
                Rps: parsed.GetValue(rps),
                WarmupSeconds: parsed.GetValue(warmup),
                BaselineSeconds: parsed.GetValue(baseline),
                Puts: parsed.GetValue(puts),
                PutRps: parsed.GetValue(putRps),
                PutConcurrency: parsed.GetValue(putConcurrency),
                Rules: new StepRules(0, parsed.GetValue(concurrency), parsed.GetValue(p99), 0.98, parsed.GetValue(timeout)),
                RecallSample: parsed.GetValue(recallSample),
                Takedowns: parsed.GetValue(takedowns),
                TakedownRps: parsed.GetValue(takedownRps),
                TakedownPatienceSeconds: parsed.GetValue(patience),
                Goals: new LiveCatalogueGoals(parsed.GetValue(p99), parsed.GetValue(ratio), parsed.GetValue(minRecall), parsed.GetValue(takedownP99)),
                OutRoot: Path.GetFullPath(parsed.GetValue(output) ?? Path.Combine(Path.GetTempPath(), "movierecommender-publish-bench")),
                Regenerate: parsed.GetValue(regenerate),
                Build: !parsed.GetValue(noBuild),
                KeepStore: parsed.GetValue(keepStore));
            var root = ServeBenchmarkCommand.CheckCatalogue(s.Movies, s.Users, s.Dim, s.Shards);
            var resultName = parsed.GetValue(name) ?? $"{ServeBenchmarkCommand.Short(s.Movies)}-d{s.Dim}";
            var jsonPath = Path.GetFullPath(parsed.GetValue(json) ?? Path.Combine(root, "bench", "results", $"live-catalogue-{resultName}.json"));
            if (Console.IsOutputRedirected) AnsiConsole.Profile.Width = 200;
            var report = await LiveCatalogueBenchmark.RunAsync(s, root, resultName, AnsiConsole.Console, ct);
            await BenchmarkReport.WriteAsync(jsonPath, report, ct);
            return 0;
        });
        return command;
    }
}
