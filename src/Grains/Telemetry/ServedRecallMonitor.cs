using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MovieRecommender.Grains.Search;

namespace MovieRecommender.Grains.Telemetry;

/// <summary>
/// Live served recall: a share of recommendations (<see cref="ServedRecallOptions.Share"/>) is re-run in the
/// background by brute force on the same version's shards, with the same query, exclusions and filter, and the
/// overlap of the two top K is recorded as <see cref="RecommenderTelemetry.ServedRecall"/>, by version and index kind (label <c>tier</c>).
/// The check runs off the grain's turn and outside the request's trace (a root span linked to it), at most
/// <see cref="ServedRecallOptions.MaxConcurrentChecks"/> at once per silo, so its cost is bounded; and only while
/// some meter listener collects the figure.
/// </summary>
public sealed class ServedRecallMonitor(IGrainFactory grains, IOptions<ServedRecallOptions> options, ILogger<ServedRecallMonitor> logger)
{
    private int _running;

    /// <summary>Decides whether to check this answer and, if so, starts the check without waiting for it.</summary>
    public void Consider(ModelVersionInfo model, ShardSearchRequest request, IReadOnlyList<ScoredMovie> served)
    {
        var share = options.Value.Share;
        // Nobody collects the figure (no metrics exporter): a brute-force check would cost CPU for nothing.
        if (!RecommenderTelemetry.ServedRecall.Enabled) return;
        if (share <= 0 || served.Count == 0 || (share < 1 && Random.Shared.NextDouble() >= share)) return;
        if (Interlocked.Increment(ref _running) > options.Value.MaxConcurrentChecks)
        {
            Interlocked.Decrement(ref _running);
            RecommenderTelemetry.ServedRecallSkipped.Add(1);
            return;
        }
        var recommendation = Activity.Current?.Context ?? default;
        // No flow of the request's context: neither its span nor Orleans' request context (which carries the trace).
        using (ExecutionContext.SuppressFlow())
            _ = Task.Run(() => CheckInBackground(model, request, served, recommendation));
    }

    private async Task CheckInBackground(ModelVersionInfo model, ShardSearchRequest request, IReadOnlyList<ScoredMovie> served, ActivityContext recommendation)
    {
        try
        {
            await CheckAsync(model, request, served, recommendation);
        }
        finally
        {
            Interlocked.Decrement(ref _running);
        }
    }

    /// <summary>Runs one check now, records it and returns the recall (null: the check failed).</summary>
    public async Task<double?> CheckAsync(ModelVersionInfo model, ShardSearchRequest request, IReadOnlyList<ScoredMovie> served, ActivityContext recommendation = default)
    {
        try
        {
            using var activity = RecommenderTelemetry.ActivitySource.StartActivity("served_recall.check", ActivityKind.Internal,
                parentContext: default, links: recommendation == default ? null : [new ActivityLink(recommendation)]);
            var started = Stopwatch.GetTimestamp();
            var answers = await Task.WhenAll(Enumerable.Range(0, model.CandidateShards).Select(shard =>
                grains.GetGrain<ICandidateShardGrain>(ICandidateShardGrain.Key(model.Version, shard)).SearchExact(request)));
            var exact = ShardResultMerger.Merge([.. answers.Select(a => a.Movies)], request.K);
            var recall = Recall(served, exact);
            // Labelled "tier", the name the instruments and dashboards use for the index kind.
            var kinds = answers.Select(a => a.IndexKind).Distinct().ToArray();
            var kind = kinds.Length == 1 ? kinds[0] : string.Join('+', kinds.Order());
            RecommenderTelemetry.ServedRecallCheckDuration.Record(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            RecommenderTelemetry.ServedRecall.Record(recall,
                new KeyValuePair<string, object?>("version", model.Version),
                new KeyValuePair<string, object?>("tier", kind));
            activity?.SetTag("recommender.model_version", model.Version);
            activity?.SetTag("recommender.index.tier", kind);
            activity?.SetTag("recommender.served_recall", recall);
            return recall;
        }
        catch (Exception e)
        {
            // A check is best effort: a shard that moves or a version retired meanwhile only loses one sample.
            logger.LogWarning(e, "Served-recall check of version {Version} failed", model.Version);
            return null;
        }
    }

    /// <summary>|served ∩ exact| / |exact|, by movie row; 1 when the exact answer is empty.</summary>
    public static double Recall(IReadOnlyList<ScoredMovie> served, IReadOnlyList<ScoredMovie> exact)
    {
        if (exact.Count == 0) return 1;
        var rows = new HashSet<int>(served.Select(m => m.Row));
        return (double)exact.Count(m => rows.Contains(m.Row)) / exact.Count;
    }
}
