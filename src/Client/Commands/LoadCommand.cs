using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using MovieRecommender.Artifacts;
using MovieRecommender.Cluster;
using MovieRecommender.CommandLine;
using MovieRecommender.Grains;
using MovieRecommender.Operations.Load;
using Spectre.Console;

namespace MovieRecommender.Client.Commands;

/// <summary>
/// <c>load --rps R --duration S [--users 1-943|FILE] [--k 10] [--verify ARTIFACT_DIR]... [--fault-at S] [--json FILE]</c>:
/// an open-loop load generator. Requests are due at a steady R per second whatever the cluster does (latency is
/// timed from when a request was due, so queueing counts), at most --concurrency in flight. With <c>--callers N</c>
/// instead of --rps it is a closed loop: N callers each ask again as soon as answered, which measures what the cluster
/// answers at that concurrency (the shape of an HTTP load tool's connections). A request that fails,
/// times out or comes back partial (a shard missing) is retried up to --retries times within --timeout-ms; what is
/// still not a complete answer then counts as a failure. With --verify, every answer is checked against the
/// brute-force top K of the version it reports. Reports requests, failures, wrong results, latency p50/p95/p99,
/// the versions seen and, given --fault-at, the recovery time and p99 before, during and after, as a table and JSON.
/// <c>--ratings-rps R</c> sends ratings beside it from <c>--rating-users</c> (left out of the checked recommendations);
/// <c>--outcomes FILE</c> writes every request's outcome, to cut a run into phases.
/// </summary>
public static class LoadCommand
{
    public static Command Create()
    {
        var rps = new Option<double>("--rps") { Description = "Requests per second (open loop).", DefaultValueFactory = _ => 100 }.Number(min: 0, max: 1_000_000, above: true);
        var duration = new Option<double>("--duration") { Description = "Seconds of load.", DefaultValueFactory = _ => 30 }.Number(min: 0, max: 86_400, above: true);
        var users = new Option<string?>("--users") { Description = "Users to ask for: a range '1-943', a list '1,2,3', or a file with one id per line. Default: the users of the first --verify artifact, else 1-943." }
            .Matching("a file of user ids, a range like 1-943 or a list like 1,2,3", IsUserSpec);
        var k = KOption.Create("How many movies per request");
        var verify = new Option<string[]>("--verify") { Description = "An artifact folder whose version's answers are checked against brute force; repeat for several versions.", AllowMultipleArgumentsPerToken = false }.ExistingFolders();
        var json = new Option<string?>("--json") { Description = "Write the report (totals, per-second buckets) to this JSON file." }.FileToWrite();
        var concurrency = new Option<int>("--concurrency") { Description = "Most requests in flight.", DefaultValueFactory = _ => 256 }.Integer(min: 1, max: 100_000);
        var timeout = new Option<int>("--timeout-ms") { Description = "Deadline of one request, retries included.", DefaultValueFactory = _ => 10000 }.Integer(min: 1);
        var attemptTimeout = new Option<int>("--attempt-timeout-ms") { Description = "Deadline of one attempt: a request stuck on a dead silo's gateway is tried again elsewhere.", DefaultValueFactory = _ => 4000 }.Integer(min: 1);
        var retries = new Option<int>("--retries") { Description = "Retries of a failed or partial request (0: none), after 0.3, 0.6, 0.9 s ...", DefaultValueFactory = _ => 3 }.Integer(min: 0, max: 100);
        var faultAt = new Option<double?>("--fault-at") { Description = "Seconds into the load when a fault happens (kill, publish): recovery and p99 before/during/after are measured around it." };
        var seed = new Option<int>("--seed") { Description = "Seed of the user order.", DefaultValueFactory = _ => 1 };
        var quiet = new Option<bool>("--quiet") { Description = "No progress lines on stderr." };
        var callers = new Option<int?>("--callers") { Description = "Closed loop instead of --rps: this many callers, each asking again as soon as answered." }.Integer(min: 1, max: 100_000);
        var ratingsRps = new Option<double>("--ratings-rps") { Description = "Ratings per second sent beside the recommendations (open loop; 0: none), of the first --verify artifact's movies.", DefaultValueFactory = _ => 0 }.Number(min: 0, max: 100_000);
        var ratingUsers = new Option<string?>("--rating-users") { Description = "Users who send the ratings: a range, a list or a file (default 1-50). They are left out of the recommendations, whose answers they would change." }
            .Matching("a file of user ids, a range like 1-50 or a list like 1,2,3", IsUserSpec);
        var outcomesFile = new Option<string?>("--outcomes") { Description = "Write every request's outcome to this CSV file (kind,dueSeconds,latencyMs,ok,wrong,attempts), to cut the run into phases afterwards." }.FileToWrite();
        var traceShare = new Option<double?>("--trace-share") { Description = $"Share of requests traced, 0 to 1, when telemetry is exported (default: about {DefaultTracesPerSecond} a second, at most all)." }.Number(min: 0, max: 1);

        var command = new Command("load", "Send recommendation requests at a steady rate and report failures, latency and versions.")
        {
            rps, duration, users, k, verify, json, concurrency, timeout, attemptTimeout, retries, faultAt, seed, quiet, traceShare, callers, ratingsRps, ratingUsers, outcomesFile,
        };
        command.SetAction((parsed, ct) =>
        {
            if (parsed.GetValue(callers) is not null && (Given(parsed, rps) || Given(parsed, concurrency)))
                throw new UsageException("--callers runs a closed loop (each caller asks again when answered): leave out --rps and --concurrency, which set the open loop.");
            if (parsed.GetValue(ratingsRps) > 0 && parsed.GetValue(callers) is not null)
                throw new UsageException("--ratings-rps goes with the open loop (--rps), not --callers.");
            if (parsed.GetValue(ratingsRps) > 0 && (parsed.GetValue(verify) ?? []).Length == 0)
                throw new UsageException("--ratings-rps rates the movies of the first --verify artifact: give one with --verify ARTIFACT_DIR.");
            if (parsed.GetValue(ratingsRps) <= 0 && Given(parsed, ratingUsers))
                throw new UsageException("--rating-users names who rates: give --ratings-rps R too.");
            return RunAsync(new LoadOptions(
                parsed.GetValue(rps), parsed.GetValue(duration), parsed.GetValue(users), parsed.GetValue(k), parsed.GetValue(verify) ?? [],
                parsed.GetValue(json), parsed.GetValue(concurrency), parsed.GetValue(timeout), parsed.GetValue(attemptTimeout), parsed.GetValue(retries), parsed.GetValue(faultAt),
                parsed.GetValue(seed), parsed.GetValue(quiet), parsed.GetValue(traceShare), parsed.GetValue(callers),
                parsed.GetValue(ratingsRps), parsed.GetValue(ratingUsers), parsed.GetValue(outcomesFile)), ct);
        });
        return command;
    }

    private static bool Given(ParseResult parsed, Option option) => parsed.GetResult(option) is { Implicit: false };

    private sealed record LoadOptions(double Rps, double Duration, string? Users, int K, string[] Verify, string? Json, int Concurrency,
        int TimeoutMs, int AttemptTimeoutMs, int Retries, double? FaultAt, int Seed, bool Quiet, double? TraceShare, int? Callers,
        double RatingsRps = 0, string? RatingUsers = null, string? Outcomes = null)
    {
        /// <summary>The share of requests traced: as asked, else about <see cref="DefaultTracesPerSecond"/> a second
        /// (a closed loop's rate is not known beforehand: <see cref="ClosedLoopTraceShare"/>).</summary>
        public double TracedShare => TraceShare ?? (Callers is null ? Math.Min(1, DefaultTracesPerSecond / Rps) : ClosedLoopTraceShare);
    }

    // One request in 500: about ten traces a second at 5,000 req/s.
    private const double ClosedLoopTraceShare = 0.002;

    // Enough traces to look at without the receiver's intake costing more than the requests they show.
    private const double DefaultTracesPerSecond = 10;

    private static async Task<int> RunAsync(LoadOptions o, CancellationToken ct)
    {
        if (o.Rps <= 0 || o.Duration <= 0) throw new UserFacingException("--rps and --duration must be positive.");
        if (o.K < 1 || o.K > IUserGrain.MaxK) throw new UserFacingException($"--k must be between 1 and {IUserGrain.MaxK}.");
        if (o.Concurrency < 1 || o.TimeoutMs < 1 || o.Retries < 0) throw new UserFacingException("--concurrency and --timeout-ms must be positive, --retries at least 0.");
        if (o.TraceShare is { } share && !(share is >= 0 and <= 1)) throw new UserFacingException($"--trace-share must be between 0 and 1, not {o.TraceShare}.");

        var artifacts = o.Verify.Select(ModelArtifact.Load).ToArray();
        var userIds = ReadUsers(o.Users, artifacts.FirstOrDefault());
        string[] raters = [];
        if (o.RatingsRps > 0)
        {
            raters = ReadUsers(o.RatingUsers ?? "1-50", null);
            var rating = raters.ToHashSet(StringComparer.Ordinal);
            // A rated user's answers fold in its ratings: no longer the artifact's brute force, so never checked.
            if (o.Users is null) userIds = userIds.Where(u => !rating.Contains(u)).ToArray();
            else if (userIds.FirstOrDefault(rating.Contains) is { } both)
                throw new UsageException($"--users and --rating-users both name user {both}: a user who rates is served answers that fold the ratings in, which the verification cannot check. Give them apart (e.g. --rating-users 1-50 --users 51-943).");
            if (userIds.Length == 0) throw new UsageException("--rating-users leaves no user to ask for recommendations.");
        }
        var checker = new AnswerChecker(artifacts, o.K);
        if (checker.Enabled)
        {
            var precompute = Stopwatch.StartNew();
            checker.Precompute(userIds);
            if (!o.Quiet) await Console.Error.WriteLineAsync($"load: expected top {o.K} of {userIds.Length} users for {checker.Versions.Count} version(s) computed in {precompute.Elapsed.TotalSeconds:F1} s");
        }
        var random = new Random(o.Seed);
        var order = userIds.OrderBy(_ => random.Next()).ToArray();

        await using var cluster = await ClusterConnection.ConnectAsync(ct);
        var generator = new LoadGenerator(cluster.Client, new RequestSettings(o.K, o.TimeoutMs, o.AttemptTimeoutMs, o.Retries, o.TracedShare), checker);
        LoadSummary summary;
        if (o.Callers is { } callers)
        {
            await Console.Error.WriteLineAsync($"load: started, closed loop of {callers} callers for {o.Duration} s over {userIds.Length} users");
            var outcomes = new List<RequestOutcome>();
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
            stop.CancelAfter(TimeSpan.FromSeconds(o.Duration));
            var seconds = await generator.RunClosedLoopAsync(order, callers, o.Seed, (_, outcome) => { lock (outcomes) outcomes.Add(outcome); }, stop.Token);
            summary = LoadSummary.From(outcomes, targetRps: 0, seconds, o.FaultAt, checker.Enabled, callers: callers);
        }
        else
        {
            // The chaos script waits for this line to time its fault.
            await Console.Error.WriteLineAsync($"load: started, {o.Rps} requests/s for {o.Duration} s over {userIds.Length} users");
            var ratings = o.RatingsRps > 0
                ? generator.RunRatingsAsync(raters, artifacts[0].Items.Select(i => i.Id).ToArray(), o.RatingsRps, o.Duration, o.Concurrency, ct)
                : Task.FromResult<RatingOutcome[]>([]);
            var outcomes = await generator.RunOpenLoopAsync(order, o.Rps, o.Duration, o.Concurrency,
                o.Quiet ? null : line => Console.Error.WriteLineAsync($"load: {line}"), ct);
            var rated = await ratings;
            summary = LoadSummary.From(outcomes, o.Rps, o.Duration, o.FaultAt, checker.Enabled)
                with { Ratings = o.RatingsRps > 0 ? RatingSummary.From(rated) : null };
            if (o.Outcomes is { } csv) await WriteOutcomesAsync(csv, outcomes, rated, ct);
        }
        WriteTable(summary);
        if (o.Json is { } path)
        {
            var directory = Path.GetDirectoryName(Path.GetFullPath(path));
            if (directory is not null) Directory.CreateDirectory(directory);
            await File.WriteAllTextAsync(path, JsonSerializer.Serialize(summary, JsonOptions), ct);
            AnsiConsole.MarkupLine($"Report written to [bold]{Markup.Escape(path)}[/].");
        }
        return summary.Failures == 0 && summary.WrongResults == 0 && (summary.Ratings?.Failures ?? 0) == 0 ? 0 : 3;
    }

    /// <summary>One line per request: <c>r</c> a recommendation, <c>t</c> a rating; ok is a complete (and, verified, right) answer or a recorded rating.</summary>
    private static async Task WriteOutcomesAsync(string path, RequestOutcome[] outcomes, RatingOutcome[] ratings, CancellationToken ct)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (directory is not null) Directory.CreateDirectory(directory);
        await using var writer = new StreamWriter(path);
        await writer.WriteLineAsync("kind,dueSeconds,latencyMs,ok,wrong,attempts");
        foreach (var o in outcomes)
            await writer.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"r,{o.DueSeconds:F4},{o.LatencyMs:F2},{(o.Answered && !o.Partial && !o.Wrong ? 1 : 0)},{(o.Wrong ? 1 : 0)},{o.Attempts}"));
        foreach (var r in ratings)
            await writer.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"t,{r.DueSeconds:F4},{r.LatencyMs:F2},{(r.Recorded ? 1 : 0)},0,{r.Attempts}"));
        await writer.FlushAsync(ct);
    }

    public static readonly JsonSerializerOptions JsonOptions = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>Whether <c>--users</c> names a file, or ranges and ids that parse (at most <see cref="MaxUsers"/> users).</summary>
    private static bool IsUserSpec(string spec)
    {
        if (File.Exists(spec)) return true;
        try { return ParseUserList(spec).Count > 0; }
        catch (UserFacingException) { return false; }
    }

    private const int MaxUsers = 10_000_000;

    private static string[] ReadUsers(string? spec, ModelArtifact? artifact)
    {
        if (string.IsNullOrWhiteSpace(spec))
            return artifact is not null ? artifact.Users.Select(u => u.Id).ToArray() : Range(1, 943);
        if (File.Exists(spec))
            return File.ReadLines(spec).Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#')).ToArray();
        var ids = ParseUserList(spec);
        return ids.Count > 0 ? [.. ids] : throw new UsageException("--users names no user.");
    }

    private static List<string> ParseUserList(string spec)
    {
        var ids = new List<string>();
        foreach (var part in spec.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var dash = part.IndexOf('-');
            if (dash > 0 && int.TryParse(part[..dash], CultureInfo.InvariantCulture, out var from) && int.TryParse(part[(dash + 1)..], CultureInfo.InvariantCulture, out var to) && from is > 0 && from <= to && (long)to - from < MaxUsers)
                ids.AddRange(Range(from, to));
            else if (RecommendCommand.IsUserId(part)) ids.Add(part);
            else throw new UsageException($"--users: '{part}' is neither a user id, a range like 1-943, nor a file.");
            if (ids.Count > MaxUsers) throw new UsageException($"--users names more than {MaxUsers} users.");
        }
        return ids;
    }

    private static string[] Range(int from, int to) =>
        Enumerable.Range(from, to - from + 1).Select(i => i.ToString(CultureInfo.InvariantCulture)).ToArray();

    private static void WriteTable(LoadSummary s)
    {
        static string F(double? v) => v is { } x ? x.ToString("F1", CultureInfo.InvariantCulture) : "-";
        var table = new Table().Title("load").AddColumn("measure").AddColumn(new TableColumn("value").RightAligned());
        table.AddRow("requests", s.Requests.ToString(CultureInfo.InvariantCulture));
        table.AddRow(s.Callers is { } callers ? $"rate (closed loop, {callers} callers; req/s)" : "rate (target / achieved, req/s)",
            s.Callers is null ? $"{s.TargetRps:F0} / {s.AchievedRps:F1}" : $"{s.AchievedRps:F1}");
        table.AddRow("succeeded (complete, right)", $"{s.Succeeded} ({s.SuccessRate:P2})");
        table.AddRow("failures (error, timeout or partial after retries)", s.Failures.ToString(CultureInfo.InvariantCulture));
        table.AddRow("  of which partial answers (coverage < 100%)", s.PartialAnswers.ToString(CultureInfo.InvariantCulture));
        table.AddRow("wrong results (vs brute force of the version reported)", s.Verified ? s.WrongResults.ToString(CultureInfo.InvariantCulture) : "not checked (no --verify)");
        table.AddRow("answers of a version not given to --verify", s.Verified ? s.UnverifiedVersions.ToString(CultureInfo.InvariantCulture) : "-");
        table.AddRow("mixed versions (older version after a newer one)", s.MixedVersions.ToString(CultureInfo.InvariantCulture));
        table.AddRow("retries", s.Retries.ToString(CultureInfo.InvariantCulture));
        table.AddRow("latency p50 / p95 / p99 / max (ms)", $"{F(s.P50Ms)} / {F(s.P95Ms)} / {F(s.P99Ms)} / {F(s.MaxMs)}");
        table.AddRow("versions seen", string.Join(", ", s.Versions.Select(v => $"{Markup.Escape(v.Key)} ({v.Value})")));
        if (s.FaultAtSeconds is { } fault)
        {
            table.AddRow("fault at (s)", F(fault));
            table.AddRow("recovery: back to 100% success after (s)", F(s.RecoverySeconds));
            table.AddRow("  every first attempt succeeding again after (s)", F(s.FirstAttemptRecoverySeconds));
            table.AddRow("p99 before / during / after (ms)", $"{F(s.P99MsBefore)} / {F(s.P99MsDuring)} / {F(s.P99MsAfter)}");
        }
        if (s.Ratings is { } r)
        {
            table.AddRow("ratings (not recorded after retries)", $"{r.Requests} ({r.Failures})");
            table.AddRow("  rating latency p50 / p99 / max (ms)", $"{F(r.P50Ms)} / {F(r.P99Ms)} / {F(r.MaxMs)}");
        }
        AnsiConsole.Write(table);
        foreach (var error in s.FirstErrors.Take(5)) AnsiConsole.MarkupLineInterpolated($"[grey]{error}[/]");
        foreach (var error in s.Ratings?.FirstErrors.Take(5) ?? []) AnsiConsole.MarkupLineInterpolated($"[grey]{error}[/]");
    }
}
