using System.Diagnostics;
using MovieRecommender.Grains;

namespace MovieRecommender.Operations.Load;

/// <summary>How one recommendation request is made: K, its deadline (retries included), the deadline of one attempt,
/// how many retries, and the share of requests traced.</summary>
/// <param name="Filter">Every request asks with this filter (null: none).</param>
/// <param name="KeepAnswer">Which users' answers an outcome keeps (null: every one). A load of thousands a second
/// keeps only those it checks, so that the answers do not pile up in the load generator's own heap and pause it.</param>
public sealed record RequestSettings(int K, int TimeoutMs, int AttemptTimeoutMs, int Retries, double TraceShare, MovieFilter? Filter = null,
    Func<string, bool>? KeepAnswer = null)
{
    /// <summary>One attempt, no deadline of ours: every exception is the outcome.</summary>
    public static RequestSettings SingleAttempt(int k) => new(k, int.MaxValue, int.MaxValue, 0, 0);
}

/// <summary>
/// The load generator's core: recommendation requests to <see cref="IUserGrain.Recommend"/>, either open loop (due at a
/// steady rate whatever the cluster does, latency timed from when a request was due, so queueing counts) or closed loop
/// (callers asking again as soon as answered). A request that fails, times out or comes back partial (a shard missing)
/// is retried while <see cref="RequestSettings"/> allow; with an <see cref="AnswerChecker"/>, every answer is checked
/// against the brute-force top K of the version it reports.
/// </summary>
public sealed class LoadGenerator(IGrainFactory grains, RequestSettings settings, AnswerChecker? checker = null)
{
    private readonly AnswerChecker? _checker = checker is { Enabled: true } ? checker : null;

    /// <summary>
    /// Open loop: request i (of rate × duration) is due at i / rate seconds and asks for <c>order[i % order.Count]</c>, at
    /// most <paramref name="concurrency"/> in flight. <paramref name="progress"/> (null: quiet) hears of the first five
    /// errors and, every five seconds, what was sent and done.
    /// </summary>
    public async Task<RequestOutcome[]> RunOpenLoopAsync(IReadOnlyList<string> order, double rps, double durationSeconds, int concurrency,
        Func<string, Task>? progress, CancellationToken ct)
    {
        var total = (int)Math.Round(rps * durationSeconds);
        var outcomes = new RequestOutcome[total];
        using var gate = new SemaphoreSlim(concurrency);
        var inFlight = new List<Task>(total);
        var clock = Stopwatch.StartNew();
        var errorsShown = 0;

        async Task RunOne(int i, double due)
        {
            await gate.WaitAsync(ct);
            try
            {
                outcomes[i] = await RequestAsync(order[i % order.Count], due, clock, ct);
                if (outcomes[i].Error is { } error && progress is not null && Interlocked.Increment(ref errorsShown) <= 5)
                    await progress($"t={due:F1}s {error}");
            }
            finally
            {
                gate.Release();
            }
        }

        var nextReport = 5.0;
        for (var i = 0; i < total; i++)
        {
            var due = i / rps;
            var wait = due - clock.Elapsed.TotalSeconds;
            if (wait > 0.001) await Task.Delay(TimeSpan.FromSeconds(wait), ct);
            inFlight.Add(RunOne(i, due));
            if (progress is not null && due >= nextReport)
            {
                var done = outcomes.Take(i).Count(x => x.DoneSeconds > 0);
                var bad = outcomes.Take(i).Count(x => x.DoneSeconds > 0 && (!x.Answered || x.Partial || x.Wrong));
                await progress($"t={due:F0}s sent {i}, done {done}, not ok {bad}");
                nextReport += 5;
            }
        }
        await Task.WhenAll(inFlight);
        return outcomes;
    }

    /// <summary>
    /// Closed loop: <paramref name="callers"/> callers (caller i with the seed <paramref name="seed"/> + i) each ask for a
    /// random user of <paramref name="users"/> again and again until <paramref name="stop"/> is cancelled, telling
    /// <paramref name="record"/> of every outcome (from several threads at once); returns the seconds it ran. A call under
    /// way when stopped is finished.
    /// </summary>
    public async Task<double> RunClosedLoopAsync(IReadOnlyList<string> users, int callers, int seed, Action<string, RequestOutcome> record,
        CancellationToken stop)
    {
        var clock = Stopwatch.StartNew();
        async Task Caller(Random random)
        {
            while (!stop.IsCancellationRequested)
            {
                var user = users[random.Next(users.Count)];
                record(user, await RequestAsync(user, clock.Elapsed.TotalSeconds, clock, CancellationToken.None));
            }
        }
        await Task.WhenAll(Enumerable.Range(0, callers).Select(i => Task.Run(() => Caller(new Random(seed + i)), CancellationToken.None)));
        return clock.Elapsed.TotalSeconds;
    }

    /// <summary>
    /// Ratings beside the recommendations, open loop: rating i (of rate × duration) is due at i / rate seconds; user
    /// <c>users[i % users.Count]</c> rates movie <c>movies[(i * 7919) % movies.Count]</c> with 0.5 to 5 stars. A rating
    /// that fails or outlasts an attempt is sent again (the same rating of the same movie: recording it twice changes
    /// nothing the user is served) while the deadline allows. Its users should be left out of a verified load, since
    /// what they are served changes with each rating.
    /// </summary>
    public async Task<RatingOutcome[]> RunRatingsAsync(IReadOnlyList<string> users, IReadOnlyList<string> movies, double rps, double durationSeconds,
        int concurrency, CancellationToken ct)
    {
        var total = (int)Math.Round(rps * durationSeconds);
        var outcomes = new RatingOutcome[total];
        using var gate = new SemaphoreSlim(concurrency);
        var inFlight = new List<Task>(total);
        var clock = Stopwatch.StartNew();

        async Task RunOne(int i, double due)
        {
            await gate.WaitAsync(ct);
            try
            {
                var movie = movies[(int)((long)i * 7919 % movies.Count)];
                var stars = 0.5 + i % 10 * 0.5;
                outcomes[i] = await RateAsync(users[i % users.Count], movie, stars, due, clock, ct);
            }
            finally
            {
                gate.Release();
            }
        }

        for (var i = 0; i < total; i++)
        {
            var due = i / rps;
            var wait = due - clock.Elapsed.TotalSeconds;
            if (wait > 0.001) await Task.Delay(TimeSpan.FromSeconds(wait), ct);
            inFlight.Add(RunOne(i, due));
        }
        await Task.WhenAll(inFlight);
        return outcomes;
    }

    private async Task<RatingOutcome> RateAsync(string user, string movie, double stars, double due, Stopwatch clock, CancellationToken ct)
    {
        var deadline = clock.Elapsed.TotalSeconds + settings.TimeoutMs / 1000.0;
        string? error = null;
        var attempts = 0;
        while (true)
        {
            attempts++;
            var remaining = deadline - clock.Elapsed.TotalSeconds;
            if (remaining <= 0) { error ??= "deadline passed"; break; }
            try
            {
                await grains.GetGrain<IUserGrain>(user).Rate(movie, stars)
                    .WaitAsync(TimeSpan.FromSeconds(Math.Min(remaining, settings.AttemptTimeoutMs / 1000.0)), ct);
                error = null;
                break;
            }
            catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
            {
                error = $"user {user} rating movie {movie}: {e.GetType().Name}: {e.Message.Split('\n')[0]}";
            }
            if (attempts > settings.Retries) break;
            await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(300 * attempts, Math.Max(0, (deadline - clock.Elapsed.TotalSeconds) * 1000))), ct);
        }
        var done = clock.Elapsed.TotalSeconds;
        return new RatingOutcome(due, done, (done - due) * 1000, error is null, attempts, error);
    }

    /// <summary>One request, due at <paramref name="due"/> seconds of <paramref name="clock"/>, with its retries.</summary>
    public async Task<RequestOutcome> RequestAsync(string user, double due, Stopwatch clock, CancellationToken ct)
    {
        var sent = clock.Elapsed.TotalSeconds;
        var deadline = sent + settings.TimeoutMs / 1000.0;
        // A sampled share of the load is traced, retries included; the rest carries an unsampled context, so the
        // silo does not trace it either.
        using var activity = RecommendationTracing.StartRecommend(user, settings.K, settings.TraceShare);
        string? error = null;
        Recommendation? last = null;
        var attempts = 0;
        while (true)
        {
            attempts++;
            var remaining = deadline - clock.Elapsed.TotalSeconds;
            if (remaining <= 0) { error ??= "deadline passed"; break; }
            try
            {
                var grain = grains.GetGrain<IUserGrain>(user);
                last = await (settings.Filter is { IsEmpty: false } filter ? grain.Recommend(settings.K, filter) : grain.Recommend(settings.K))
                    .WaitAsync(TimeSpan.FromSeconds(Math.Min(remaining, settings.AttemptTimeoutMs / 1000.0)), ct);
                error = null;
                // A partial answer says so (coverage); it is not a success, so ask again while time allows.
                if (last.ShardsAnswered >= last.ShardCount) break;
                error = $"partial answer: {last.ShardsAnswered}/{last.ShardCount} shards";
            }
            catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
            {
                last = null;
                error = $"{e.GetType().Name}: {e.Message.Split('\n')[0]}";
            }
            if (attempts > settings.Retries) break;
            await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(300 * attempts, Math.Max(0, (deadline - clock.Elapsed.TotalSeconds) * 1000))), ct);
        }
        var done = clock.Elapsed.TotalSeconds;
        var latencyMs = (done - due) * 1000;
        if (last is not null) activity.Answered(last);
        if (error is not null) activity?.SetStatus(ActivityStatusCode.Error, error);
        if (last is null) return new RequestOutcome(due, sent, done, latencyMs, false, false, false, false, null, attempts, error);
        var partial = last.ShardsAnswered < last.ShardCount;
        var problem = _checker?.Check(last, out _);
        var known = _checker is null || _checker.Versions.Contains(last.ModelVersion);
        return new RequestOutcome(due, sent, done, latencyMs, true, partial, problem is not null && !partial, !known, last.ModelVersion, attempts,
            problem is not null ? $"user {user}: WRONG for {last.ModelVersion}: {problem}" : error,
            settings.KeepAnswer is not { } keep || keep(user) ? last : null);
    }
}
