using System.Globalization;
using MovieRecommender.Artifacts;
using MovieRecommender.CommandLine;
using MovieRecommender.Grains;
using MovieRecommender.Operations.Load;

namespace MovieRecommender.Benchmarks.Serving;

/// <summary>The index setting a silo serves, as the rows name it.</summary>
public sealed record IndexUnderTest(string Index, string? ResolvedSpec, string ShardTiers, double? InProcessCpuMsPerRecommendation, double? SiloIdleCpuMsPerSecond = null);

/// <summary>What makes a rate sustained, and how a step's load is made.</summary>
public sealed record StepRules(double DurationSeconds, int Concurrency, double P99BarMs, double MinAchieved, int TimeoutMs);

/// <summary>
/// One step of the ramp: the load generator's open loop (<see cref="LoadGenerator"/>, one attempt per request, latency
/// from when a request was due) at one rate for a few seconds, asking for users drawn uniformly from the whole artifact
/// with the recall sample's users spread among them; the silo's CPU (/proc) over the step and its RSS after it.
/// Achieved rate: requests over the time until the last answer came back, so a silo that falls behind shows.
/// The users come from a <see cref="UserDraw"/> (uniform, a hot pool, or Zipf); with a filter, every request carries it.
/// </summary>
public sealed class ServingLoad(IGrainFactory grains, ModelArtifact artifact, RecallSample sample, SiloProcess silo, int shards, int seed, UserDraw draw,
    MovieFilter? filter = null)
{
    public const int K = 10;

    private readonly Dictionary<string, int> _sampleRowOfUser = sample.UserRows.ToDictionary(row => artifact.Users[row].Id, row => row, StringComparer.Ordinal);
    private int _steps;

    /// <summary>The silo's CPU per second while no request comes (timers, membership, GC), to tell a recommendation's own CPU.</summary>
    public async Task<double?> IdleCpuMsPerSecondAsync(double seconds, CancellationToken ct)
    {
        var before = silo.Program.CpuSeconds();
        var watch = System.Diagnostics.Stopwatch.StartNew();
        await Task.Delay(TimeSpan.FromSeconds(seconds), ct);
        var after = silo.Program.CpuSeconds();
        return before is { } b && after is { } a ? (a - b) * 1000 / watch.Elapsed.TotalSeconds : null;
    }

    public async Task<ServeRow> RunAsync(IndexUnderTest index, double rate, string phase, StepRules rules, CancellationToken ct)
    {
        var order = Order(rate, rules.DurationSeconds, seed + Interlocked.Increment(ref _steps));
        var generator = new LoadGenerator(grains, new RequestSettings(K, rules.TimeoutMs, rules.TimeoutMs, 0, 0, filter, _sampleRowOfUser.ContainsKey));
        var load = ProcessStats.LoadAverage();
        var started = DateTime.UtcNow.ToString("O", CultureInfo.InvariantCulture);
        var cpuBefore = silo.Program.CpuSeconds();
        var stepWatch = System.Diagnostics.Stopwatch.StartNew();
        var outcomes = await generator.RunOpenLoopAsync(order, rate, rules.DurationSeconds, rules.Concurrency, null, ct);
        var cpu = silo.Program.CpuSeconds() - cpuBefore;
        var cpuWall = stepWatch.Elapsed.TotalSeconds;
        if (silo.HasExited) throw new UserFacingException($"the silo exited during the {rate} req/s step; its last output:\n{silo.Program.Tail()}");

        var wall = Math.Max(rules.DurationSeconds, outcomes.Select(o => o.DoneSeconds).DefaultIfEmpty(0).Max());
        var summary = LoadSummary.From(outcomes, rate, wall, null, false);
        var recalls = outcomes
            .Where(o => o is { Answered: true, Partial: false, Answer: not null } && _sampleRowOfUser.ContainsKey(o.Answer.UserId))
            .Select(o => sample.Recall(_sampleRowOfUser[o.Answer!.UserId], o.Answer.Movies.Select(m => m.Row)))
            .ToArray();
        string? miss = null;
        if (summary.Failures > 0) miss = $"{summary.Failures} failures";
        else if (summary.AchievedRps < rules.MinAchieved * rate) miss = $"achieved {summary.AchievedRps:F0} < {rules.MinAchieved:P0} of {rate:F0}";
        else if (summary.P99Ms >= rules.P99BarMs) miss = $"p99 {summary.P99Ms:F1} >= {rules.P99BarMs} ms";
        return new ServeRow(
            index.Index, index.ResolvedSpec, index.ShardTiers, artifact.Items.Count, artifact.Users.Count, artifact.Manifest.Dimension, shards,
            phase, rate, summary.AchievedRps, summary.Requests, summary.P50Ms, summary.P95Ms, summary.P99Ms, summary.MaxMs, summary.Failures,
            recalls.Length > 0 ? recalls.Average() : null, recalls.Length > 0 ? recalls.Min() : null, recalls.Length,
            summary.Requests > 0 && cpu is { } c ? c * 1000 / summary.Requests : null,
            summary.Requests > 0 && cpu is { } g && index.SiloIdleCpuMsPerSecond is { } idle ? Math.Max(0, g * 1000 - idle * cpuWall) / summary.Requests : null,
            index.InProcessCpuMsPerRecommendation,
            silo.Program.RssBytes() / 1e6,
            miss is null, miss, load, started);
    }

    /// <summary>
    /// The users of one step, in order, from the draw, every n-th one a user of the recall sample.
    /// </summary>
    private List<string> Order(double rate, double seconds, int stepSeed)
    {
        var total = Math.Max(1, (int)Math.Round(rate * seconds));
        var random = new Random(stepSeed);
        var stride = Math.Max(1, total / Math.Max(1, sample.UserRows.Count));
        var order = new List<string>(total);
        for (var i = 0; i < total; i++)
        {
            var row = i % stride == 0 ? sample.UserRows[i / stride % sample.UserRows.Count]
                : draw.Next(random);
            order.Add(artifact.Users[row].Id);
        }
        return order;
    }
}
